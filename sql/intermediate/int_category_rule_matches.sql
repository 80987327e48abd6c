-- grain: one row per (rule kind, realm, QuickBooks id) that a category rule matches: an item by
-- its own name or id, an item by the categories and parent items on its path (nearest first), an
-- account or a class by its own name or any parent's (nearest first)
with rules as (
    select kind, pattern, name_key(pattern) as pattern_key, category, subcategory
    from staging.stg_settings__category_rules
),

names as (
    select * from intermediate.int_rule_names
),

matches as (
    select names.kind, realm_id, id, pattern, category, subcategory, depth
    from names
    join rules on matches_rule(rules.kind, rules.pattern, rules.pattern_key, names.kind, names.name_key, names.id)
),

final as (
    select kind, realm_id, id, pattern, category, subcategory
    from matches
    qualify row_number() over (partition by kind, realm_id, id order by depth, pattern) = 1
)

select * from final
