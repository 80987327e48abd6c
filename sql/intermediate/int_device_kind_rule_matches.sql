-- grain: one row per (rule kind, realm, QuickBooks id) that a device-kind rule matches, matched as category
-- rules are (int_rule_names: own name or id, then the nearest parent)
with rules as (
    select kind, pattern, name_key(pattern) as pattern_key, device_kind
    from staging.stg_settings__device_kind_rules
),

names as (
    select * from intermediate.int_rule_names
),

matches as (
    select names.kind, realm_id, id, pattern, device_kind, depth
    from names
    join rules on matches_rule(rules.kind, rules.pattern, rules.pattern_key, names.kind, names.name_key, names.id)
),

final as (
    select kind, realm_id, id, pattern, device_kind
    from matches
    qualify row_number() over (partition by kind, realm_id, id order by depth, pattern) = 1
)

select * from final
