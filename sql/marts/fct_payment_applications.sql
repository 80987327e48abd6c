-- grain: one row per document a payment line is applied to (an invoice paid, a credit memo used)
with applications as (
    select * from intermediate.int_payment_applications
),

final as (
    select * from applications
)

select * from final
