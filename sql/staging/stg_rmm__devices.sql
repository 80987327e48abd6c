-- grain: one row per device of each stored RMM device export (realm, export date, line)
with devices as (
    select * from raw.device_exports
),

final as (
    select
        realm_id,
        export_date,
        source,
        layout,
        line,
        organisation,
        name_key(organisation) as organisation_key,
        device,
        device_type,
        kind,
        last_seen,
        billable
    from devices
)

select * from final
