-- grain: one row per (aspect, rule kind, realm, QuickBooks id) that a labor-scope rule matches, matched
-- as category rules are (int_rule_names: own name or id, then the nearest parent); aspect is where, what
-- or when, each decided on its own
with rules as (
    select kind, pattern, name_key(pattern) as pattern_key, aspect, scope
    from staging.stg_settings__labor_scope_rules
),

names as (
    select * from intermediate.int_rule_names
),

matches as (
    select rules.aspect, names.kind, realm_id, id, pattern, scope, depth
    from names
    join rules on matches_rule(rules.kind, rules.pattern, rules.pattern_key, names.kind, names.name_key, names.id)
),

final as (
    select aspect, kind, realm_id, id, pattern, scope
    from matches
    qualify row_number() over (partition by aspect, kind, realm_id, id order by depth, pattern) = 1
)

select * from final
