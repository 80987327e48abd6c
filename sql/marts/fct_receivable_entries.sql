-- grain: one row per journal entry and customer it posts to accounts receivable for (an opening balance,
-- a write-off, a credit carried from another system): `amount` is what it adds to what the customer
-- owes (debits to A/R positive, credits negative). QuickBooks requires such a line to name a customer,
-- and a payment may be applied to the entry (LinkedTxn of type JournalEntry). An account is A/R by its
-- type; a line whose account the warehouse has no record of (a file load without accounts) by the
-- name QuickBooks writes on it ("Accounts Receivable (A/R)").
with postings as (
    select * from staging.stg_qbo__account_postings where document_type = 'JournalEntry'
),

accounts as (
    select * from staging.stg_qbo__accounts
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

receivable as (
    select postings.*
    from postings
    left join accounts using (realm_id, account_id)
    where postings.customer_id is not null
      and (accounts.account_type = 'Accounts Receivable'
           or (accounts.account_id is null and postings.account_name_on_line ilike 'accounts receivable%'))
),

final as (
    select
        receivable.realm_id,
        'JournalEntry' as document_type,
        receivable.document_id,
        any_value(receivable.doc_number) as doc_number,
        any_value(receivable.txn_date) as txn_date,
        receivable.customer_id,
        coalesce(any_value(customers.client_id), receivable.customer_id) as client_id,
        coalesce(any_value(customers.client), any_value(customers.customer), any_value(receivable.customer_name_on_line))
            as client,
        -sum(receivable.amount)::decimal(18, 2) as amount,
        any_value(receivable.currency) as currency
    from receivable
    left join customers using (realm_id, customer_id)
    group by receivable.realm_id, receivable.document_id, receivable.customer_id
)

select * from final
