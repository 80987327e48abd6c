-- grain: one row per invoice or sales receipt and the date a part of it is earned: a line is earned
-- when its service month starts (on its document's date when it has no service date); the sales tax
-- goes with the document's date. Money paid towards a document covers its earliest parts first.
with lines as (
    select * from marts.fct_revenue_lines where document_type in ('Invoice', 'SalesReceipt')
),

documents as (
    select * from intermediate.int_sales_documents
    where document_type in ('Invoice', 'SalesReceipt') and not is_voided
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

parts as (
    select
        realm_id, document_type, document_id,
        coalesce(date_trunc('month', service_date)::date, txn_date) as earn_date,
        amount
    from lines
    union all
    select realm_id, document_type, document_id, txn_date, total_tax
    from documents
    where total_tax <> 0
),

final as (
    select
        parts.realm_id,
        parts.document_type,
        parts.document_id,
        documents.txn_date,
        documents.customer_id,
        coalesce(customers.client_id, documents.customer_id) as client_id,
        parts.earn_date,
        sum(parts.amount)::decimal(18, 2) as amount
    from parts
    join documents using (realm_id, document_type, document_id)
    left join customers on customers.realm_id = parts.realm_id and customers.customer_id = documents.customer_id
    group by all
)

select * from final
