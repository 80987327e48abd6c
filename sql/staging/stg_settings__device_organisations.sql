-- grain: one row per organisation the owner mapped to a QuickBooks customer ([devices.organisations])
with mapping as (
    select * from settings.device_organisations
),

final as (
    select organisation, name_key(organisation) as organisation_key, customer_id
    from mapping
)

select * from final
