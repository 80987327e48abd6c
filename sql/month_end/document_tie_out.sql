-- Month-end tie-out of our revenue lines to the documents: per document type dated in
-- [$first_day, $last_day], the documents' totals less tax (signed) against the sum of our revenue
-- lines and of their lines to accounts outside income (deposits held, Other Income, ...).
-- Parameters: $first_day, $last_day, $realm.
with documents as (
    select * from marts.fct_sales_documents
    where txn_date between $first_day and $last_day and not is_voided and ($realm is null or realm_id = $realm)
),

lines as (
    select
        document_type,
        sum(amount) filter (where revenue) as revenue_lines_total,
        sum(amount) filter (where not revenue) as other_lines_total
    from (
        select realm_id, document_type, txn_date, amount, true as revenue from marts.fct_revenue_lines
        union all
        select realm_id, document_type, txn_date, amount, false from marts.fct_other_sales_lines
    )
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
    group by 1
),

totals as (
    select document_type, count(*) as documents, sum(sign * (total_amount - total_tax)) as documents_total
    from documents
    group by 1
)

select
    totals.document_type,
    totals.documents,
    totals.documents_total::decimal(18, 2) as documents_total_less_tax,
    coalesce(lines.revenue_lines_total, 0)::decimal(18, 2) as revenue_lines_total,
    coalesce(lines.other_lines_total, 0)::decimal(18, 2) as lines_outside_income,
    (coalesce(lines.revenue_lines_total, 0) + coalesce(lines.other_lines_total, 0) - totals.documents_total)
        ::decimal(18, 2) as difference
from totals
left join lines using (document_type)
order by totals.document_type
