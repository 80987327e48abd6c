-- grain: one row per load of one entity from one source (file, demo, sync)
with source as (
    select * from raw.load_log
),

final as (
    select loaded_at, source, realm_id, entity, received, inserted, updated, unchanged
    from source
)

select * from final
