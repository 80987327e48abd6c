-- grain: one row per agreement item the rules file bills for several months on one line
with source as (
    select * from settings.agreement_months
),

final as (
    select item, months
    from source
)

select * from final
