-- grain: one row per realm and cursor a QuickBooks sync keeps (per entity, and the
-- change-data-capture cursor `_cdc`), with when the sync that moved it finished
with source as (
    select * from raw.sync_state
),

final as (
    select realm_id, entity, cursor, updated_at
    from source
)

select * from final
