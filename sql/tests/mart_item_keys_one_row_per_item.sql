-- Item names with more than one key row in a realm (zero rows pass).
select realm_id, item, count(*) as copies
from marts.mart_item_keys
group by all
having count(*) > 1
