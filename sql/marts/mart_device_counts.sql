-- grain: one row per (realm, export date, client) with devices counted in that export: servers and desktops
-- deployed, as of the export's date (a report takes the latest export on or before its as-of date)
with devices as (
    select * from marts.fct_devices where counted
),

final as (
    select
        realm_id,
        export_date,
        client_id,
        count(*) filter (where kind = 'server')::integer as servers,
        count(*) filter (where kind = 'desktop')::integer as desktops
    from devices
    group by realm_id, export_date, client_id
)

select * from final
