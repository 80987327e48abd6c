-- grain: one row per journal-entry line and per deposit line that posts straight to an account:
-- money QuickBooks books in that account without any sales document (income, accounts receivable,
-- anything else; later models pick the accounts they need). A credit to an account is positive, a
-- debit negative (a deposit line is a credit to its account: the bank is the debit); deposit lines that
-- only carry a payment or sales receipt to the bank (a LinkedTxn) post nothing of their own.
-- `customer_id`: the customer the line names (a journal entry's Entity of Type Customer, a deposit
-- line's Entity of type CUSTOMER). Amounts in the home currency (x the document's ExchangeRate, per line).
with documents as (
    select realm_id, id as document_id, 'JournalEntry' as document_type, 'journal_entries' as source, payload
    from raw.journal_entries where not deleted
    union all
    select realm_id, id as document_id, 'Deposit', 'deposits', payload from raw.deposits where not deleted
),

lines as (
    select
        realm_id, document_id, document_type, source,
        payload->>'$.DocNumber' as doc_number,
        (payload->>'$.TxnDate')::date as txn_date,
        payload->>'$.PrivateNote' as private_note,
        payload->>'$.CurrencyRef.value' as currency,
        exchange_rate(payload) as rate,
        unnest(json_extract(payload, '$.Line[*]')) as line,
        generate_subscripts(json_extract(payload, '$.Line[*]'), 1) as line_index
    from documents
),

details as (
    select
        lines.* exclude (line),
        line->>'$.Id' as line_id,
        line->>'$.Description' as description,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as line_amount,
        case source when 'journal_entries' then json_extract(line, '$.JournalEntryLineDetail')
                    else json_extract(line, '$.DepositLineDetail') end as detail,
        case source when 'journal_entries' then line->>'$.DetailType' = 'JournalEntryLineDetail'
                    else line->>'$.DetailType' = 'DepositLineDetail'
                         and json_array_length(coalesce(json_extract(line, '$.LinkedTxn'), '[]')) = 0 end as posts
    from lines
),

final as (
    select
        realm_id, document_id, document_type, source, doc_number, txn_date, line_index, line_id,
        coalesce(description, private_note) as description,
        detail->>'$.AccountRef.value' as account_id,
        detail->>'$.AccountRef.name' as account_name_on_line,
        detail->>'$.ClassRef.value' as class_id,
        case
            when lower(coalesce(detail->>'$.Entity.Type', detail->>'$.Entity.type', '')) = 'customer'
                then coalesce(detail->>'$.Entity.EntityRef.value', detail->>'$.Entity.value')
        end as customer_id,
        coalesce(detail->>'$.Entity.EntityRef.name', detail->>'$.Entity.name') as customer_name_on_line,
        case when detail->>'$.PostingType' = 'Debit' then -1 else 1 end * home_amount(line_amount, rate) as amount,
        case when detail->>'$.PostingType' = 'Debit' then -1 else 1 end * line_amount as foreign_amount,
        currency,
        rate as exchange_rate
    from details
    where posts
)

select * from final
