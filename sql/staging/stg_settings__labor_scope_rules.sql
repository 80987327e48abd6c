-- grain: one row per (labor-scope rule, scope) of the owner's rules file, as used by this build
with source as (
    select * from settings.labor_scope_rules
),

final as (
    select kind, pattern, aspect, scope
    from source
)

select * from final
