-- grain: one row per QuickBooks company a sync has reached: when its last sync finished (a sync
-- moves its change-data-capture cursor last, whether or not anything had changed)
with cursors as (
    select * from staging.stg_ingest__sync_state
),

final as (
    select realm_id, max(updated_at) filter (where entity = '_cdc') as last_synced_at
    from cursors
    group by realm_id
)

select * from final
