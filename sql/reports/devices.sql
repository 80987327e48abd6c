-- Report devices: per client billed per device (a device line in $as_of's month or the 12 before), servers and
-- desktops deployed (the latest device export on or before $as_of) against billed (the device lines of $as_of's
-- month; empty for a kind the client is not billed per device, which is then not compared), and the monthly
-- difference at the client's own rate per device:
-- positive, money not billed for devices that run (under-billed); empty where a kind differs and no line of that
-- kind gives the client's rate. Deployed is empty for a company with no export by then. Under-billed first.
-- Parameters: $as_of, $realm, $client.
with exports as (
    select * from latest_device_export($as_of, $realm)
),

deployed as (
    select counts.realm_id, counts.client_id, counts.servers, counts.desktops
    from marts.mart_device_counts as counts
    join exports using (realm_id, export_date)
),

billed as (
    select realm_id, client_id,
        coalesce(sum(devices) filter (where device_kind = 'server'), 0) as servers,
        coalesce(sum(devices) filter (where device_kind = 'desktop'), 0) as desktops
    from billed_device_lines($as_of, $realm, $client)
    group by realm_id, client_id
),

rates as (
    select realm_id, client_id,
        max(rate) filter (where kind = 'server') as server_rate,
        max(rate) filter (where kind = 'desktop') as desktop_rate
    from device_rates($as_of, $realm, $client)
    group by realm_id, client_id
),

kinds as (
    select realm_id, client_id,
        bool_or(kind = 'server') as per_server,
        bool_or(kind = 'desktop') as per_desktop
    from per_device_clients($as_of, $realm, $client)
    group by realm_id, client_id
),

counted as (
    select
        kinds.realm_id,
        kinds.client_id,
        customers.customer as client,
        case when exports.realm_id is not null then coalesce(deployed.servers, 0) end as servers_deployed,
        case when exports.realm_id is not null then coalesce(deployed.desktops, 0) end as desktops_deployed,
        case when kinds.per_server then coalesce(billed.servers, 0)::decimal(18, 2) end as servers_billed,
        case when kinds.per_desktop then coalesce(billed.desktops, 0)::decimal(18, 2) end as desktops_billed,
        rates.server_rate,
        rates.desktop_rate,
        exports.export_date as deployed_as_of
    from kinds
    left join exports using (realm_id)
    left join deployed using (realm_id, client_id)
    left join billed using (realm_id, client_id)
    left join rates using (realm_id, client_id)
    left join marts.dim_customers as customers
        on customers.realm_id = kinds.realm_id and customers.customer_id = kinds.client_id
),

final as (
    select
        client_id,
        client,
        servers_deployed,
        desktops_deployed,
        servers_billed,
        desktops_billed,
        (case when servers_billed is null or servers_deployed = servers_billed then 0
              else (servers_deployed - servers_billed) * server_rate end
         + case when desktops_billed is null or desktops_deployed = desktops_billed then 0
                else (desktops_deployed - desktops_billed) * desktop_rate end)::decimal(18, 2) as monthly_difference,
        case
            when servers_deployed is null then null
            when servers_deployed > servers_billed or desktops_deployed > desktops_billed then 'under-billed'
            when servers_deployed < servers_billed or desktops_deployed < desktops_billed then 'over-billed'
            else 'matched'
        end as status,
        server_rate,
        desktop_rate,
        deployed_as_of,
        realm_id
    from counted
)

select * from final
order by case status when 'under-billed' then 0 when 'over-billed' then 1 when 'matched' then 2 else 3 end,
    monthly_difference desc nulls first, client, client_id
