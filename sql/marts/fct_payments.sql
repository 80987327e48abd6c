-- grain: one row per live received payment
with payments as (
    select * from staging.stg_qbo__payments
),

final as (
    select * exclude (lines) from payments
)

select * from final
