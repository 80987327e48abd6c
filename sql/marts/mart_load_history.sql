-- grain: one row per realm and entity: what the loads and syncs stored, and when last
with loads as (
    select * from staging.stg_ingest__loads
),

final as (
    select
        realm_id,
        entity,
        max(loaded_at) as last_loaded_at,
        arg_max(source, loaded_at) as last_source,
        count(*) as loads,
        sum(inserted) as inserted,
        sum(updated) as updated
    from loads
    group by all
)

select * from final
