-- grain: one row per QuickBooks customer known only as deleted (a change-data-capture stub, or an Id a
-- full sync no longer saw): its jobs still name it as their parent, so the hierarchy needs its Id
with source as (
    select * from raw.customers where deleted
),

final as (
    select realm_id, id as customer_id from source
)

select * from final
