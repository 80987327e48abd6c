-- grain: one row per record a sync received but held back because the models cannot read it: what
-- it is, why, and since when. The models see the record's last valid version, if there was one.
with held as (
    select * from staging.stg_ingest__quarantine
),

final as (
    select realm_id, entity, record_id, last_updated, reason, held_at
    from held
)

select * from final
