-- grain: one row per category rule of the owner's rules file, as used by this build
with source as (
    select * from settings.category_rules
),

final as (
    select kind, pattern, category, subcategory
    from source
)

select * from final
