-- grain: one row per document a payment line is applied to (an invoice paid, a credit memo used), with
-- that document's date (`applied_to_date`) and the side of A/R it is on (`applied_to_side`: an invoice +1,
-- a credit memo -1, a journal entry's part for the paying customer by its sign; null when the warehouse
-- holds no such document). Kept here, not joined on each read, since they do not change with the as-of date:
-- credit_position reads them for every date it is asked about.
with applications as (
    select * from intermediate.int_payment_applications
),

ar_documents as (
    select realm_id, document_type, document_id, null::varchar as customer_id, txn_date, 1 as side
    from marts.fct_sales_documents where document_type = 'Invoice'
    union all
    select realm_id, document_type, document_id, null, txn_date, -1
    from marts.fct_sales_documents where document_type = 'CreditMemo'
    union all
    select realm_id, 'JournalEntry', document_id, customer_id, txn_date, sign(amount)::integer
    from marts.fct_receivable_entries
),

final as (
    select applications.*, ar_documents.txn_date as applied_to_date, ar_documents.side as applied_to_side
    from applications
    left join ar_documents
        on ar_documents.realm_id = applications.realm_id and ar_documents.document_type = applications.applied_to_type
        and ar_documents.document_id = applications.applied_to_id
        and (ar_documents.customer_id is null or ar_documents.customer_id = applications.customer_id)
)

select * from final
