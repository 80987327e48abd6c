-- grain: one row per realm and item name on revenue lines, with the key names are compared on
-- (name_key, models/names.py). The key is made here because only the build has that function:
-- the snapshot's readers look it up.
with items as (
    select distinct realm_id, item from marts.fct_revenue_lines where item is not null
),

final as (
    select realm_id, item, name_key(item) as item_key from items
)

select * from final
