-- grain: one row per record held back from the models (raw.quarantine)
with source as (
    select * from raw.quarantine
),

final as (
    select realm_id, entity, id as record_id, last_updated, reason, held_at
    from source
)

select * from final
