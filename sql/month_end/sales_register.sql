-- Month-end sales register: every sales document dated in [$first_day, $last_day] (voided ones
-- marked, with no lines) with its revenue lines, items, categories and the rule that decided each.
-- Amounts signed as revenue. Parameters: $first_day, $last_day, $realm.
with documents as (
    select * from marts.fct_sales_documents
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
),

lines as (
    select * from marts.fct_revenue_lines
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
),

customers as (
    select * from marts.dim_customers
)

select
    documents.txn_date,
    documents.document_type,
    documents.doc_number,
    documents.document_id,
    coalesce(customers.customer, documents.customer_name_on_document) as customer,
    case when documents.is_voided then 'voided' else '' end as status,
    (documents.sign * documents.total_amount)::decimal(18, 2) as document_total,
    (documents.sign * documents.total_tax)::decimal(18, 2) as sales_tax,
    documents.currency,
    (documents.sign * documents.foreign_total_amount)::decimal(18, 2) as document_total_in_currency,
    lines.line_index,
    lines.child_index,
    lines.item,
    lines.description,
    lines.category,
    lines.subcategory,
    lines.rule,
    lines.rule_pattern,
    coalesce(lines.amount, 0)::decimal(18, 2) as amount,
    documents.realm_id
from documents
left join lines using (realm_id, document_type, document_id)
left join customers on customers.realm_id = documents.realm_id and customers.customer_id = documents.customer_id
order by documents.txn_date, documents.document_type, documents.doc_number, documents.document_id,
    lines.line_index, lines.child_index
