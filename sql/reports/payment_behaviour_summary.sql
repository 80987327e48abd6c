-- Report payment-behaviour --summary: the company's figures for each of the 12 full months before $as_of's month
-- (docs/METRICS.md, payment behaviour): days sales outstanding at the month's end, (receivables / the 12 months'
-- credit sales) x 365, and the share of the month's agreement money received by its 3rd (its documents paid in
-- full by then), the playbook's "paid on the 1st" with two days for a card or a check to land.
-- Parameters: $as_of, $realm.
with parts as (
    select month, part, sum(amount) as amount
    from payment_summary_parts($as_of::date, $realm)
    group by all
),

months as (
    select
        month,
        coalesce(sum(amount) filter (where part = 'sales'), 0) as sales_12m,
        coalesce(sum(amount) filter (where part = 'receivables'), 0) as receivables,
        coalesce(sum(amount) filter (where part = 'agreement_money'), 0) as agreement_money,
        coalesce(sum(amount) filter (where part = 'agreement_by_3rd'), 0) as agreement_by_3rd
    from (select unnest(generate_series(first_full_month($as_of), last_full_month($as_of), interval 1 month))::date
              as month) as every_month
    left join parts using (month)
    group by all
)

select
    month,
    sales_12m::decimal(18, 2) as sales_12m,
    receivables::decimal(18, 2) as receivables,
    round(exact_ratio(receivables * 365, sales_12m), 1)::decimal(9, 1) as days_sales_outstanding,
    agreement_money::decimal(18, 2) as agreement_money,
    agreement_by_3rd::decimal(18, 2) as agreement_by_3rd,
    exact_ratio(agreement_by_3rd, agreement_money) as agreement_by_3rd_share
from months
order by month
