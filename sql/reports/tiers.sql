-- Report tiers: per client, device counts (settings) and each tier's monthly, yearly and setup cost
-- next to the client's labor over the 12 full months before the as-of month, and the difference
-- (yearly cost - labor), and whether it is the client's current tier; $client keeps one client.
-- Parameters: $as_of, $realm, $client, $setup_percent; relations registered by the caller from the
-- settings: tier_prices(tier, tier_key, position, server_price, desktop_price, servers_only)
-- and client_devices(realm_id, customer_id, servers, desktops).
with labor as (
    select * from client_revenue(
        first_full_month($as_of), last_full_month($as_of),
        $realm, true, $client
    )
),

customers as (
    select * from marts.dim_customers
),

clients as (
    select realm_id, customer_id, customer, coalesce(labor_total, 0) as labor_12m from labor
    union
    select devices.realm_id, devices.customer_id, customers.customer, 0
    from client_devices as devices
    left join customers on customers.realm_id = devices.realm_id and customers.customer_id = devices.customer_id
    where ($realm is null or devices.realm_id = $realm) and ($client is null or devices.customer_id = $client)
      and (devices.realm_id, devices.customer_id) not in (select (realm_id, customer_id) from labor)
),

-- the client's current tier: the one its agreement items name in the last full month ("MSA - Platinum"
-- names Platinum); a client without agreement revenue that month has none
agreement_items as (
    select distinct lines.realm_id, lines.client_id as customer_id, keys.item_key
    from marts.fct_revenue_lines as lines
    join marts.mart_item_keys as keys on keys.realm_id = lines.realm_id and keys.item = lines.item
    where lines.category = 'labor_msa' and lines.month = last_full_month($as_of)
      and ($realm is null or lines.realm_id = $realm) and ($client is null or lines.client_id = $client)
),

current_tiers as (
    select distinct items.realm_id, items.customer_id, prices.tier
    from agreement_items as items
    join tier_prices as prices on contains(items.item_key, prices.tier_key)
),

priced as (
    select
        clients.*,
        devices.servers,
        devices.desktops,
        prices.tier,
        prices.position,
        current_tiers.tier is not null as current_tier,
        tier_monthly(prices.server_price, prices.desktop_price, prices.servers_only, devices.servers, devices.desktops)
            as monthly
    from clients
    left join client_devices as devices using (realm_id, customer_id)
    cross join tier_prices as prices
    left join current_tiers
        on current_tiers.realm_id = clients.realm_id and current_tiers.customer_id = clients.customer_id
        and current_tiers.tier = prices.tier
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
    tier_setup_fee(monthly, $setup_percent) as setup_fee,
    (monthly * 12 - labor_12m)::decimal(18, 2) as yearly_vs_labor,
    current_tier,
    realm_id
from priced
order by labor_12m desc, customer, customer_id, position
