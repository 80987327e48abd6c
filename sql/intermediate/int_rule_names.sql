-- grain: one row per (rule kind, realm, QuickBooks id, name) a rule of that kind may match the record by,
-- with its depth (0 the record's own name, 1 its parent, ...): an item by its name and full name, an
-- item by the categories and parent items on its path, an account or a class by its own name or any
-- parent's. Category rules and labor-scope rules match through it alike.
with items as (
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

path_names as (
    select kind, realm_id, id, unnest(segments) as segment, generate_subscripts(segments, 1) as depth
    from named_paths
),

item_names as (
    select 'item' as kind, realm_id, item_id as id, fully_qualified_name as segment, 0 as depth from items
    union all
    select 'item', realm_id, item_id, name, 0 from items
),

final as (
    select kind, realm_id, id, name_key(segment) as name_key, depth
    from (select * from path_names union all select * from item_names)
)

select * from final
