-- grain: one row per (rule kind, realm, QuickBooks id) that a category rule matches: an item by
-- its own name or id, an item by the categories and parent items on its path (nearest first), an
-- account or a class by its own name or any parent's (nearest first)
with rules as (
    select kind, pattern, name_key(pattern) as pattern_key, category, subcategory
    from staging.stg_settings__category_rules
),

items as (
    select * from staging.stg_qbo__items
),

named_paths as (
    select
        'item_category' as kind, realm_id, item_id as id,
        list_reverse(list_slice(string_split(fully_qualified_name, ':'), 1, -2)) as segments
    from items
    union all
    select
        'income_account', realm_id, account_id,
        list_reverse(string_split(fully_qualified_name, ':'))
    from staging.stg_qbo__accounts
    union all
    select
        'class', realm_id, class_id,
        list_reverse(string_split(fully_qualified_name, ':'))
    from staging.stg_qbo__classes
),

segments as (
    select kind, realm_id, id, unnest(segments) as segment, generate_subscripts(segments, 1) as depth
    from named_paths
),

path_matches as (
    select segments.kind, realm_id, id, pattern, category, subcategory, depth
    from segments
    join rules on rules.kind = segments.kind and rules.pattern_key = name_key(segments.segment)
),

item_matches as (
    select 'item' as kind, realm_id, item_id as id, pattern, category, subcategory, 0 as depth
    from items
    join rules on rules.kind = 'item' and (
        (pattern ilike 'id:%' and trim(substr(pattern, 4)) = item_id)
        or pattern_key = name_key(fully_qualified_name)
        or pattern_key = name_key(name)
    )
),

final as (
    select kind, realm_id, id, pattern, category, subcategory
    from (select * from path_matches union all select * from item_matches)
    qualify row_number() over (partition by kind, realm_id, id order by depth, pattern) = 1
)

select * from final
