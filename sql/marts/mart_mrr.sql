-- grain: one row per realm, client and service month with agreement (labor_msa) revenue: the MRR.
-- A line counts in its service month (its date's month when it has none); an item named in the
-- rules file's [agreement_months] spreads evenly over that many months, the odd cents in the first.
with lines as (
    select * from marts.fct_revenue_lines where category = 'labor_msa'
),

spans as (
    select name_key(item) as item_key, months from staging.stg_settings__agreement_months
),

measured as (
    select
        lines.realm_id,
        lines.client_id,
        lines.client,
        date_trunc('month', coalesce(lines.service_date, lines.txn_date))::date as first_month,
        coalesce(spans.months, 1) as months,
        (lines.amount * 100)::hugeint as cents
    from lines
    left join spans on spans.item_key = name_key(lines.item)
),

spread as (
    select
        realm_id, client_id, client,
        (first_month + to_months(step))::date as month,
        cents // months + case when step = 0 then cents - (cents // months) * months else 0 end as cents
    from measured, range(months) as steps(step)
),

final as (
    select realm_id, client_id, any_value(client) as client, month,
        (sum(cents)::decimal(38, 0) * 0.01)::decimal(18, 2) as mrr
    from spread
    group by realm_id, client_id, month
)

select * from final
