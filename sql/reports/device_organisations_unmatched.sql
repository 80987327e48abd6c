-- The organisations of a company's latest device export that no QuickBooks client matched, with why and how many
-- devices they hold (load-devices lists them after the load). Parameters: $realm.
with latest as (
    select max(export_date) as export_date from marts.mart_device_organisations where realm_id = $realm
),

final as (
    select organisation, devices, why_unmatched
    from marts.mart_device_organisations
    join latest using (export_date)
    where realm_id = $realm and client_id is null
)

select * from final
order by organisation
