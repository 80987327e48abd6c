-- Report retention: for each of the 12 full months before the as-of month, the retention of agreement revenue
-- (MRR, mrr_movements: lines dated by $as_of) and the concentration of revenue. A client's MRR below zero counts
-- as none. Month: of the clients with MRR the month before, gross retention = what they kept (each at most its
-- MRR of the month before) / their MRR of the month before; net retention = their MRR now (expansion included)
-- / the same; client churn = how many of them have none now / how many they were. Trailing 12 (the `_12m`
-- columns): the same against the clients with MRR twelve months before. Top five: the five clients with most
-- revenue (every category, lines dated by $as_of) over the 12 months to the month, their share of all clients'.
-- Percentages to 4 places (exact_ratio). Parameters: $as_of, $realm.
with months as (
    select unnest(generate_series(first_full_month($as_of), last_full_month($as_of), interval 1 month))::date
        as month
),

mrr as (
    select month, realm_id, client_id, greatest(mrr, 0) as mrr, greatest(previous_mrr, 0) as previous_mrr
    from mrr_movements($as_of, $realm)
),

compared as (  -- each client's MRR in a month, the month before and twelve months before
    select
        now.month, now.realm_id, now.client_id, now.mrr, now.previous_mrr,
        coalesce(year_ago.mrr, 0) as year_ago_mrr
    from mrr as now
    left join mrr as year_ago
        on year_ago.realm_id = now.realm_id and year_ago.client_id = now.client_id
        and year_ago.month = (now.month - interval 12 month)::date
    where now.month in (select month from months)
),

retention as (
    select
        month,
        sum(previous_mrr)::decimal(18, 2) as starting_mrr,
        sum(least(mrr, previous_mrr)) filter (where previous_mrr > 0)::decimal(18, 2) as kept_mrr,
        sum(mrr) filter (where previous_mrr > 0)::decimal(18, 2) as kept_mrr_net,
        count(*) filter (where previous_mrr > 0) as clients_at_start,
        count(*) filter (where previous_mrr > 0 and mrr = 0) as clients_churned,
        sum(year_ago_mrr)::decimal(18, 2) as year_ago_mrr,
        sum(least(mrr, year_ago_mrr)) filter (where year_ago_mrr > 0)::decimal(18, 2) as kept_12m,
        sum(mrr) filter (where year_ago_mrr > 0)::decimal(18, 2) as kept_12m_net,
        count(*) filter (where year_ago_mrr > 0) as clients_year_ago,
        count(*) filter (where year_ago_mrr > 0 and mrr = 0) as clients_churned_12m
    from compared
    group by month
),

client_months as (  -- each client's revenue per month, lines dated by as_of
    select realm_id, client_id, month, sum(amount) as revenue
    from marts.fct_revenue_lines
    where client_id is not null and txn_date <= $as_of::date and ($realm is null or realm_id = $realm)
      and month between (first_full_month($as_of) - interval 11 month)::date and last_full_month($as_of)
    group by all
),

client_years as (  -- each client's revenue over the 12 months to each month
    select months.month, client_months.realm_id, client_months.client_id, sum(client_months.revenue) as revenue
    from months
    join client_months
        on client_months.month between (months.month - interval 11 month)::date and months.month
    group by months.month, client_months.realm_id, client_months.client_id
),

ranked as (
    select *, row_number() over (partition by month order by revenue desc, realm_id, client_id) as rank
    from client_years
),

concentration as (
    select
        month,
        sum(revenue) filter (where rank <= 5)::decimal(18, 2) as top5_revenue_12m,
        sum(revenue)::decimal(18, 2) as revenue_12m
    from ranked
    group by month
)

select
    months.month,
    coalesce(retention.starting_mrr, 0)::decimal(18, 2) as starting_mrr,
    (exact_ratio(retention.kept_mrr, retention.starting_mrr) * 100)::decimal(9, 4) as grr_percent,
    (exact_ratio(retention.kept_mrr_net, retention.starting_mrr) * 100)::decimal(9, 4) as nrr_percent,
    coalesce(retention.clients_at_start, 0) as clients_at_start,
    coalesce(retention.clients_churned, 0) as clients_churned,
    (exact_ratio(retention.clients_churned, retention.clients_at_start) * 100)::decimal(9, 4) as client_churn_percent,
    coalesce(retention.year_ago_mrr, 0)::decimal(18, 2) as year_ago_mrr,
    (exact_ratio(retention.kept_12m, retention.year_ago_mrr) * 100)::decimal(9, 4) as grr_12m_percent,
    (exact_ratio(retention.kept_12m_net, retention.year_ago_mrr) * 100)::decimal(9, 4) as nrr_12m_percent,
    coalesce(retention.clients_year_ago, 0) as clients_year_ago,
    coalesce(retention.clients_churned_12m, 0) as clients_churned_12m,
    (exact_ratio(retention.clients_churned_12m, retention.clients_year_ago) * 100)::decimal(9, 4)
        as client_churn_12m_percent,
    coalesce(concentration.top5_revenue_12m, 0)::decimal(18, 2) as top5_revenue_12m,
    coalesce(concentration.revenue_12m, 0)::decimal(18, 2) as revenue_12m,
    (exact_ratio(concentration.top5_revenue_12m, concentration.revenue_12m) * 100)::decimal(9, 4)
        as top5_share_12m_percent
from months
left join retention using (month)
left join concentration using (month)
order by months.month
