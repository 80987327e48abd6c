-- grain: one row per (rule set, aspect, rule kind, realm, QuickBooks id) that a rule of the owner's rules file
-- matches: an item by its own name or id, an item by the categories and parent items on its path, an account or
-- a class by its own name or any parent's (int_rule_names), nearest first. The rule sets are matched alike:
-- category, device_kind and labor_scope, whose aspects (where, what, when) are each decided on their own; aspect
-- is null for the others. What the rule gives is its decision (a category, a device kind, a scope).
with rules as (
    select 'category' as rule_set, null::varchar as aspect, kind, pattern, category as decision, subcategory
    from staging.stg_settings__category_rules
    union all
    select 'device_kind', null, kind, pattern, device_kind, null
    from staging.stg_settings__device_kind_rules
    union all
    select 'labor_scope', aspect, kind, pattern, scope, null
    from staging.stg_settings__labor_scope_rules
),

keyed_rules as (
    select *, name_key(pattern) as pattern_key from rules
),

names as (
    select * from intermediate.int_rule_names
),

matches as (
    select keyed_rules.rule_set, keyed_rules.aspect, names.kind, realm_id, id, pattern, decision, subcategory, depth
    from names
    join keyed_rules
        on matches_rule(keyed_rules.kind, keyed_rules.pattern, keyed_rules.pattern_key, names.kind, names.name_key,
                        names.id)
),

final as (
    select rule_set, aspect, kind, realm_id, id, pattern, decision, subcategory
    from matches
    qualify row_number() over (partition by rule_set, aspect, kind, realm_id, id order by depth, pattern) = 1
)

select * from final
