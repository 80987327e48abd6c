-- The service tier an item's name names (docs/METRICS.md#tiers): "MSA - Platinum" names Platinum, compared as
-- category rules compare names; an item naming none ("MSA") is not listed. `prices` names the relation of the
-- owner's tiers (models/figures/reports.tier_prices: tier, tier_key, position, prices, cover).
create or replace temp macro item_tiers(prices) as table
select keys.realm_id, keys.item, tiers.tier, tiers.position
from marts.mart_item_keys as keys
join query_table(prices) as tiers on contains(keys.item_key, tiers.tier_key);
