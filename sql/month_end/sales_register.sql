-- Month-end sales register: every sales document dated in [$first_day, $last_day] (voided ones
-- marked, with no lines) with its revenue lines, items, categories and the rule that decided each,
-- and its lines to accounts outside income (deposits held, Other Income: `outside_income`, not revenue),
-- then journal-entry and deposit lines to Income accounts (revenue lines without a sales document).
-- Amounts signed as revenue. Parameters: $first_day, $last_day, $realm.
with documents as (
    select * from marts.fct_sales_documents
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
),

lines as (  -- revenue lines, and lines to accounts outside income (listed, not revenue)
    select *, amount as revenue, 0::decimal(18, 2) as outside_income
    from marts.fct_revenue_lines
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
    union all by name
    select * exclude (posting, income_account_type, category), 0::decimal(18, 2) as revenue, amount as outside_income,
        'not revenue: ' || coalesce(income_account_type, posting) as category
    from marts.fct_other_sales_lines
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
    coalesce(lines.revenue, 0)::decimal(18, 2) as amount,
    coalesce(lines.outside_income, 0)::decimal(18, 2) as outside_income,
    documents.realm_id
from documents
left join lines using (realm_id, document_type, document_id)
left join customers on customers.realm_id = documents.realm_id and customers.customer_id = documents.customer_id
union all
select  -- income outside sales documents: journal-entry and deposit lines to Income accounts, line by line
    txn_date, document_type, doc_number, document_id, customer, '' as status, null::decimal(18, 2),
    null::decimal(18, 2), currency, null::decimal(18, 2), line_index, child_index, item, description, category,
    subcategory, rule, rule_pattern, amount, 0::decimal(18, 2), realm_id
from marts.fct_revenue_lines
where document_type in ('JournalEntry', 'Deposit') and txn_date between $first_day and $last_day
  and ($realm is null or realm_id = $realm)
order by txn_date, document_type, doc_number, document_id, line_index, child_index
