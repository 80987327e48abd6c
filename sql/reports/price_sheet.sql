-- Report price-sheet: per agreement client (agreement lines in $as_of's month, dated by then), its actual monthly
-- fee against the price sheet: its current tier (the one those lines' items name) at the owner's list prices for
-- its device counts (a typed override, else the latest device export by $as_of, else the typed ones;
-- devices_counted_by says which). difference = list - actual: positive is a deal under list (money a month the
-- price sheet would bring), negative one over it. status says why list is empty: no tier named, no device counts,
-- or a tier the counts do not fit (Silver without servers). Under list first, most money first.
-- Parameters: $as_of, $realm, $client; relations tier_prices and client_devices (models/figures/reports).
with clients as (
    select * from price_sheet_clients($as_of, $realm, $client, 'tier_prices', 'client_devices')
),

final as (
    select
        clients.client_id,
        customers.customer as client,
        clients.tier,
        clients.servers,
        clients.desktops,
        clients.actual_monthly,
        clients.list_monthly,
        (clients.list_monthly - clients.actual_monthly)::decimal(18, 2) as difference,
        case
            when clients.tier is null then 'no tier named'
            when clients.servers is null then 'no device counts'
            when clients.list_monthly is null then 'tier does not fit'
            when clients.list_monthly > clients.actual_monthly then 'under list'
            when clients.list_monthly < clients.actual_monthly then 'over list'
            else 'at list'
        end as status,
        clients.server_price,
        clients.desktop_price,
        clients.counted_by as devices_counted_by,
        clients.counted_from as devices_counted_from,
        clients.realm_id
    from clients
    left join marts.dim_customers as customers
        on customers.realm_id = clients.realm_id and customers.customer_id = clients.client_id
)

select * from final
order by case status when 'under list' then 0 when 'over list' then 1 when 'at list' then 2 else 3 end,
    difference desc nulls last, client, client_id, realm_id
