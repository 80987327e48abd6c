-- The items a client bought of us as hardware or software over [first_month, last_month] (`sold`: a cost line
-- naming such an item is the cost of what was sold), and the items a cost line names for the client (`costed`:
-- their cost is that line's, not the item's purchase cost), for the margin report (docs/METRICS.md, margin).
-- Also the owner's rate per worker (worker_rates names a table of worker_key, rate), named apart from the time's.
create or replace temp macro client_margin_items(first_month, last_month, only_realm, only_client) as table
select
    realm_id as item_realm, client_id as item_client, item_id as margin_item,
    bool_or(source = 'revenue') as sold, bool_or(source = 'cost') as costed
from marts.mart_client_margin_months
where item_id is not null and source in ('revenue', 'cost')
  and in_margin_window(month, realm_id, client_id, first_month, last_month, only_realm, only_client)
group by all;

create or replace temp macro owner_rates(worker_rates) as table
select worker_key as rate_worker_key, rate as owner_rate from query_table(worker_rates);
