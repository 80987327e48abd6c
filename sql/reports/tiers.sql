-- Report tiers: per client, device counts (client_device_counts: a typed override, else the latest device
-- export's, else the settings'; devices_counted_by says which, devices_counted_from the export's date) and each tier's monthly, yearly and setup cost
-- next to the client's labor over the 12 full months before the as-of month, and the difference
-- (yearly cost - labor), and whether it is the client's current tier; $client keeps one client.
-- For a client on an agreement (agreement revenue in the 12 months), the honest what-if: each tier's
-- yearly fee plus the hourly work it would not have covered (by the lines' labor scopes and the tier's
-- `covers` and `included_hours`), against what the client paid (fee + hourly); hourly work whose scope
-- is unknown is counted apart, neither covered nor not. The current tier is priced at what the client pays (the
-- price sheet's actual_monthly as of the last full month's last day), not at list, and every tier is weighed against
-- a year on it: its fee for 12 months plus the hourly work it did not cover (all hourly work of the months under
-- the agreement, by scope before it), which is what was paid when the agreement ran the whole 12 months.
-- Parameters: $as_of, $realm, $client, $setup_percent; relations registered by the caller from the
-- settings: tier_prices(tier, tier_key, position, server_price, desktop_price, servers_only, covers,
-- included_hours) and client_devices(realm_id, customer_id, servers, desktops, override).
with devices as materialized (  -- read twice below: counted once
    select * from client_device_counts($as_of, 'client_devices')
),

labor as (
    select * from client_revenue(
        first_full_month($as_of), last_full_month($as_of),
        $realm, true, $client, 'accrual'
    )
),

customers as (
    select * from marts.dim_customers
),

clients as (
    select realm_id, customer_id, customer, coalesce(labor_total, 0) as labor_12m,
        coalesce(labor_msa, 0) as labor_msa_12m, coalesce(labor_hourly, 0) as labor_hourly_12m
    from labor
    union
    select devices.realm_id, devices.customer_id, customers.customer, 0, 0, 0
    from devices
    left join customers on customers.realm_id = devices.realm_id and customers.customer_id = devices.customer_id
    where ($realm is null or devices.realm_id = $realm) and ($client is null or devices.customer_id = $client)
      and (devices.realm_id, devices.customer_id) not in (select (realm_id, customer_id) from labor)
),

-- the client's current tier: the one its agreement items name in the last full month ("MSA - Platinum"
-- names Platinum); a client without agreement revenue that month has none
current_tiers as (
    select distinct lines.realm_id, lines.client_id as customer_id, named.tier
    from marts.fct_revenue_lines as lines
    join item_tiers('tier_prices') as named on named.realm_id = lines.realm_id and named.item = lines.item
    where lines.category = 'labor_msa' and lines.month = last_full_month($as_of)
      and ($realm is null or lines.realm_id = $realm) and ($client is null or lines.client_id = $client)
),

-- what the client pays a month on its current tier: the price sheet's actual_monthly as of the last full month
fees as (
    select realm_id, client_id as customer_id, actual_monthly
    from price_sheet_clients((date_trunc('month', $as_of::date) - interval 1 day)::date, $realm, $client,
                             'tier_prices', 'client_devices')
),

-- the months of the 12 the client was under its agreement (its MRR of the month other than nil, as margin's managed
-- months): hourly work billed then was billed under the agreement
agreement_months as (
    select realm_id, client_id, month
    from marts.fct_mrr_lines
    where month between first_full_month($as_of) and last_full_month($as_of) and txn_date <= $as_of
      and ($realm is null or realm_id = $realm) and ($client is null or client_id = $client)
    group by all
    having sum(amount) <> 0
),

-- tiers that cover less than the client's current tier: the work the current tier took in was never billed,
-- so what such a tier would have billed for it is not in the hourly lines: its what-if is a lower bound
narrower_tiers as (
    select distinct current_tiers.realm_id, current_tiers.customer_id, other.tier
    from current_tiers
    join tier_prices as mine on mine.tier = current_tiers.tier
    join tier_prices as other
        on not list_has_all(other.covers, mine.covers)
        or (other.included_hours is not null
            and (mine.included_hours is null or other.included_hours < mine.included_hours))
),

-- the client's current tier's cover (the widest, should its agreement items name two)
current_cover as (
    select current_tiers.realm_id, current_tiers.customer_id, prices.covers, prices.included_hours
    from current_tiers
    join tier_prices as prices using (tier)
    qualify row_number() over (partition by current_tiers.realm_id, current_tiers.customer_id
                               order by prices.position desc) = 1
),

-- hourly lines, each with its cover under a tier: work billed under the agreement although the current tier covers
-- all of its scope (no hours limit) was work outside any agreement (a project, say): no tier would have covered it
hourly_lines as (
    select
        lines.*, prices.tier, under.month is not null as under_agreement,
        case
            when under.month is not null and cover.covers is not null and cover.included_hours is null
                and tier_covers(cover.covers, scope_where, scope_what, scope_when) then false
            else tier_covers(prices.covers, scope_where, scope_what, scope_when)
        end as covered_by_tier
    from marts.fct_labor_scopes as lines
    cross join tier_prices as prices
    left join current_cover as cover on cover.realm_id = lines.realm_id and cover.customer_id = lines.client_id
    left join agreement_months as under
        on under.realm_id = lines.realm_id and under.client_id = lines.client_id and under.month = lines.month
    where lines.month between first_full_month($as_of) and last_full_month($as_of) and lines.customer_id is not null
      and ($realm is null or lines.realm_id = $realm) and ($client is null or lines.client_id = $client)
),

-- per tier and month: the hourly work it would not have covered, the work it would have (of which only
-- `included_hours` a month, pro rata by hours, when the tier includes a number of hours), and the unknown
hourly_by_tier_month as (
    select
        lines.realm_id, lines.client_id as customer_id, lines.tier, lines.month,
        any_value(prices.included_hours) as included_hours,
        bool_or(lines.under_agreement) as under_agreement,
        coalesce(sum(lines.amount) filter (where covered_by_tier = false), 0) as not_covered,
        coalesce(sum(lines.amount) filter (where covered_by_tier), 0) as covered,
        -- hours signed as the money is: a credit memo's hours are given back
        coalesce(sum(sign(lines.amount) * abs(coalesce(lines.quantity, 0))) filter (where covered_by_tier), 0)
            as covered_hours,
        coalesce(sum(lines.amount) filter (where covered_by_tier is null), 0) as unknown_scope
    from hourly_lines as lines
    join tier_prices as prices using (tier)
    group by all
),

-- as the current tier: a month under the agreement is what was billed under it, all of its hourly work not covered
hourly_by_tier as (
    select
        realm_id, customer_id, tier,
        sum(not_covered + beyond_included) as hourly_not_covered,
        sum(unknown_scope) as hourly_unknown_scope,
        sum(case when under_agreement then not_covered + covered + unknown_scope else not_covered + beyond_included end)
            as hourly_not_covered_as_current,
        sum(case when under_agreement then 0 else unknown_scope end) as hourly_unknown_scope_as_current
    from (
        select *, case
            when included_hours is null or covered_hours <= included_hours then 0
            else exact_share(covered, covered_hours - included_hours, covered_hours)
        end as beyond_included
        from hourly_by_tier_month
    )
    group by all
),

priced as (
    select
        clients.*,
        devices.servers,
        devices.desktops,
        devices.counted_from as devices_counted_from,
        devices.counted_by as devices_counted_by,
        prices.tier,
        prices.position,
        current_tiers.tier is not null as current_tier,
        tier_monthly(prices.server_price, prices.desktop_price, prices.servers_only, devices.servers, devices.desktops)
            as list_monthly,
        case when current_tiers.tier is not null then fees.actual_monthly end as fee_monthly
    from clients
    left join devices using (realm_id, customer_id)
    cross join tier_prices as prices
    left join current_tiers
        on current_tiers.realm_id = clients.realm_id and current_tiers.customer_id = clients.customer_id
        and current_tiers.tier = prices.tier
    left join fees on fees.realm_id = clients.realm_id and fees.customer_id = clients.customer_id
),

what_if as (
    select
        priced.*,
        coalesce(fee_monthly, list_monthly) as monthly,
        priced.labor_msa_12m <> 0 as on_agreement,
        coalesce(case when current_tier then hourly.hourly_not_covered_as_current else hourly.hourly_not_covered end,
                 0) as hourly_not_covered,
        coalesce(case when current_tier then hourly.hourly_unknown_scope_as_current
                      else hourly.hourly_unknown_scope end, 0) as hourly_unknown_scope,
        narrower.tier is not null as covers_less_than_current
    from priced
    left join hourly_by_tier as hourly
        on hourly.realm_id = priced.realm_id and hourly.customer_id = priced.customer_id and hourly.tier = priced.tier
    left join narrower_tiers as narrower
        on narrower.realm_id = priced.realm_id and narrower.customer_id = priced.customer_id
        and narrower.tier = priced.tier
),

-- the year every tier is weighed against: a year on the client's current tier (the widest, should its agreement
-- items name two) at its fee; a client without one, the labor it paid
against as (
    select *,
        coalesce(first(case when current_tier then monthly * 12 + hourly_not_covered end order by
                       case when current_tier then position end desc nulls last)
                 over (partition by realm_id, customer_id), labor_12m) as current_yearly,
        coalesce(first(case when current_tier then hourly_unknown_scope end order by
                       case when current_tier then position end desc nulls last)
                 over (partition by realm_id, customer_id), 0) as current_unknown_scope
    from what_if
)

select
    customer_id,
    customer,
    servers,
    desktops,
    labor_12m::decimal(18, 2) as labor_12m,
    tier,
    monthly,
    (monthly * 12)::decimal(18, 2) as yearly,
    tier_setup_fee(list_monthly, $setup_percent) as setup_fee,
    (monthly * 12 - labor_12m)::decimal(18, 2) as yearly_vs_labor,
    current_tier,
    on_agreement,
    labor_msa_12m::decimal(18, 2) as labor_msa_12m,
    labor_hourly_12m::decimal(18, 2) as labor_hourly_12m,
    hourly_not_covered::decimal(18, 2) as hourly_not_covered,
    hourly_unknown_scope::decimal(18, 2) as hourly_unknown_scope,
    covers_less_than_current,
    (monthly * 12 + hourly_not_covered)::decimal(18, 2) as what_if_yearly,
    (monthly * 12 + hourly_not_covered - current_yearly)::decimal(18, 2) as what_if_vs_paid,
    list_monthly,
    fee_monthly is not null as priced_at_fee,
    current_yearly::decimal(18, 2) as current_yearly,
    current_unknown_scope::decimal(18, 2) as current_unknown_scope,
    devices_counted_from,
    devices_counted_by,
    realm_id
from against
order by labor_12m desc, customer, customer_id, position
