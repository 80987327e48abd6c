-- grain: one row per device-kind rule of the owner's rules file, as used by this build
with source as (
    select * from settings.device_kind_rules
),

final as (
    select kind, pattern, device_kind
    from source
)

select * from final
