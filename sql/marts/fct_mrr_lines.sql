-- grain: one row per agreement (labor_msa) revenue line and service month it counts in: what the line
-- adds to that month's MRR, the lines behind mart_mrr. A line counts in its service month (its date's
-- month when it has none); an item named in the rules file's [agreement_months] spreads evenly over
-- that many months, the odd cents in the first. mart_mrr sums these rows. Agreement income that names
-- no customer (a journal entry without one) is revenue but no client's MRR.
with lines as (
    select * from marts.fct_revenue_lines where category = 'labor_msa' and customer_id is not null
),

spans as (
    select name_key(item) as item_key, months from staging.stg_settings__agreement_months
),

measured as (
    select
        lines.*,
        date_trunc('month', coalesce(lines.service_date, lines.txn_date))::date as first_month,
        coalesce(spans.months, 1) as months,
        (lines.amount * 100)::hugeint as cents
    from lines
    left join spans on spans.item_key = name_key(lines.item)
),

spread as (
    select
        measured.*,
        (first_month + to_months(step))::date as mrr_month,
        cents // months + case when step = 0 then cents - (cents // months) * months else 0 end as month_cents
    from measured, range(months) as steps(step)
),

final as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, child_index,
        customer_id, customer, client_id, client, item, category, rule, rule_pattern, currency, service_date,
        first_month, months, mrr_month as month,
        (month_cents::decimal(38, 0) * 0.01)::decimal(18, 2) as amount
    from spread
)

select * from final
