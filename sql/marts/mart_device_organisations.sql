-- grain: one row per (realm, export date, organisation) of each stored device export, with the client it matched
-- (how, or why not) and its devices: what the owner maps when a name does not match
with devices as (
    select * from marts.fct_devices
),

organisations as (
    select * from intermediate.int_device_organisations__matched
),

counted as (
    select realm_id, export_date, organisation_key, count(*)::integer as devices,
           count(*) filter (where counted)::integer as counted_devices
    from devices
    group by all
),

final as (
    select
        counted.realm_id,
        counted.export_date,
        organisations.organisation,
        organisations.organisation_key,
        organisations.client_id,
        organisations.matched_by,
        organisations.why_unmatched,
        counted.devices,
        counted.counted_devices
    from counted
    join organisations using (realm_id, organisation_key)
)

select * from final
