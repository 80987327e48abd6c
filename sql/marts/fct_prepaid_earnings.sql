-- grain: one row per invoice or sales receipt and the date a part of it is earned: each line's parts by
-- service month (fct_service_months, the spread MRR counts by: an [agreement_months] item's line earns
-- its monthly amount as each month starts), earned when the month starts (in a line's own month without
-- a service date, on the document's date); the sales tax goes with the document's date. Money paid
-- towards a document covers its earliest parts first: `earlier` is what the document's earlier parts
-- come to, kept here so a reader allocates what was paid by a date without a window over every document.
with parts as (
    select * from marts.fct_service_months where document_type in ('Invoice', 'SalesReceipt')
),

documents as (
    select * from intermediate.int_sales_documents
    where document_type in ('Invoice', 'SalesReceipt') and not is_voided
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

earned as (
    select realm_id, document_type, document_id, earn_date, amount
    from parts
    union all
    select realm_id, document_type, document_id, txn_date, total_tax
    from documents
    where total_tax <> 0
),

by_date as (
    select
        earned.realm_id,
        earned.document_type,
        earned.document_id,
        documents.txn_date,
        documents.customer_id,
        coalesce(customers.client_id, documents.customer_id) as client_id,
        earned.earn_date,
        sum(earned.amount)::decimal(18, 2) as amount
    from earned
    join documents using (realm_id, document_type, document_id)
    left join customers on customers.realm_id = earned.realm_id and customers.customer_id = documents.customer_id
    group by all
),

final as (
    select
        *,
        coalesce(sum(amount) over (
            partition by realm_id, document_type, document_id
            order by earn_date rows between unbounded preceding and 1 preceding
        ), 0)::decimal(18, 2) as earlier
    from by_date
)

select * from final
