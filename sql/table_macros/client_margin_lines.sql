-- The lines behind the margin report over [first_month, last_month] (docs/METRICS.md, margin), one row per line
-- and the part of a client's month it counts in: what client_margin_months sums and report lines --kind
-- margin:COLUMN lists, so the two always agree. Jobs count for their client. `cost`: the line is a cost (every
-- part but the revenue categories). `part`:
-- - a revenue category: the client's revenue lines by transaction month, but agreement revenue (labor_msa) in
--   the months it pays for, as MRR, from lines dated by `dated_by`;
-- - labor_covered / labor_unbilled / labor_billed: a time activity at an hour's cost, NotBillable in a month the
--   client had agreement revenue (work the agreement covers), NotBillable in another month (no agreement covers
--   it: warranty, goodwill), or billed:
--   QuickBooks' CostRate (the activity's, else its worker's), else the owner's rate for the worker
--   (worker_rates: its name_key and rate), else labor_cost; to the cent, half away from zero. `at_default`
--   marks the hours at labor_cost;
-- - tools: a month with agreement revenue, at the client's typed device counts (devices: realm_id,
--   customer_id, servers, desktops) x tool_server and tool_desktop;
-- - direct_hardware_software / direct_other: a cost line naming the client (on an item it bought as hardware or
--   software, or not), and hardware and software sold at the item's purchase cost where no cost line names that
--   item for the client in the window.
-- (Parameter names must differ from column names: a parameter would shadow the column.)
create or replace temp macro client_margin_lines(first_month, last_month, dated_by, only_realm, only_client,
                                                 labor_cost, tool_server, tool_desktop, worker_rates, devices)
as table
with revenue as (
    select * from marts.fct_revenue_lines
    where month between first_month and last_month and customer_id is not null and category <> 'labor_msa'
      and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client)
),

agreement_revenue as (
    select * from marts.fct_mrr_lines
    where month between first_month and last_month and txn_date <= dated_by
      and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client)
),

owner_rates as (
    select r.worker_key as rate_worker_key, r.rate as owner_rate from (select unnest(worker_rates) as r)
),

labor as (
    select
        time_worked.*,
        coalesce(quickbooks_cost_rate, owner_rate, labor_cost) as rate,
        case when quickbooks_cost_rate is not null then 'QuickBooks'' cost rate (' || quickbooks_cost_rate_from || ')'
             when owner_rate is not null then 'your rate for ' || worker else 'the default rate' end as rate_from
    from marts.fct_time_worked as time_worked
    left join owner_rates on owner_rates.rate_worker_key = time_worked.worker_key
    where txn_date >= first_month and txn_date < last_month + interval 1 month and client_id is not null
      and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client)
),

agreement_months as (  -- months the client had agreement revenue: its devices were managed
    select realm_id, client_id, month from agreement_revenue group by all having sum(amount) <> 0
),

typed_devices as (
    select d.realm_id as device_realm, d.customer_id as device_client, d.servers as servers, d.desktops as desktops
    from (select unnest(devices) as d)
),

cost_lines as (  -- with the name of the item a line names (a bill for hardware sold), as revenue lines show it
    select cost.*, items.name as item_name
    from marts.fct_cost_lines as cost
    left join marts.dim_items as items on items.realm_id = cost.realm_id and items.item_id = cost.item_id
    where cost.client_id is not null and cost.month between first_month and last_month
      and (only_realm is null or cost.realm_id = only_realm) and (only_client is null or cost.client_id = only_client)
),

costed_items as (  -- items a cost line names for the client in the window: their cost is that line's
    select distinct realm_id as costed_realm, client_id as costed_client, item_id as costed_item
    from cost_lines where item_id is not null
),

sold_items as (  -- what the client bought of us as hardware or software, for its markup
    select distinct realm_id as sold_realm, client_id as sold_client, item_id as sold_item
    from revenue where category in ('hardware', 'software') and item_id is not null
)

select
    realm_id, client_id, customer_id, month, category as part, false as cost, amount, 0 as minutes,
    false as at_default,
    document_type, document_id, doc_number, txn_date, item, description as detail  -- the category is its own column
from revenue
union all
select
    realm_id, client_id, customer_id, month, 'labor_msa', false, amount, 0, false,
    document_type, document_id, doc_number, txn_date, item,
    'agreement revenue for ' || strftime(month, '%b %Y')
from agreement_revenue
union all
select
    labor.realm_id, labor.client_id, customer_id, date_trunc('month', txn_date)::date,
    case when billable_status <> 'NotBillable' then 'labor_billed'
         when covered.month is not null then 'labor_covered' else 'labor_unbilled' end,
    true, exact_share(rate, minutes_worked, 60), minutes_worked,
    rate_from = 'the default rate',
    'TimeActivity', time_activity_id, null, txn_date, null,
    coalesce(worker, 'no worker named') || ': ' || exact_ratio(minutes_worked, 60)::decimal(18, 2) || ' h x '
        || rate::decimal(18, 2) || ' (' || rate_from || ')'
from labor
left join agreement_months as covered
    on covered.realm_id = labor.realm_id and covered.client_id = labor.client_id
   and covered.month = date_trunc('month', labor.txn_date)::date
union all
select
    agreement_months.realm_id, agreement_months.client_id, agreement_months.client_id, agreement_months.month,
    'tools', true, (servers * tool_server + desktops * tool_desktop)::decimal(18, 2), 0, false,
    'Devices', null, null, agreement_months.month, null,
    servers || ' server(s) x ' || tool_server::decimal(18, 2) || ' + ' || desktops || ' desktop(s) x '
        || tool_desktop::decimal(18, 2) || ' in a month under agreement'
from agreement_months
join typed_devices on device_realm = agreement_months.realm_id and device_client = agreement_months.client_id
union all
select
    realm_id, client_id, customer_id, month,
    case when sold_item is not null then 'direct_hardware_software' else 'direct_other' end, true, amount, 0,
    false,
    document_type, document_id, doc_number, txn_date, item_name,
    concat_ws(': ', payee_name, coalesce(account, 'an account not loaded'), description)
from cost_lines
left join sold_items on sold_realm = realm_id and sold_client = client_id and sold_item = item_id
union all
select
    revenue.realm_id, revenue.client_id, revenue.customer_id, revenue.month, 'direct_hardware_software', true,
    round(revenue.quantity * items.purchase_cost, 2)::decimal(18, 2), 0, false,
    revenue.document_type, revenue.document_id, revenue.doc_number, revenue.txn_date, revenue.item,
    'sold at purchase cost: ' || revenue.quantity::decimal(18, 2) || ' x ' || items.purchase_cost::decimal(18, 2)
from revenue
join marts.dim_items as items on items.realm_id = revenue.realm_id and items.item_id = revenue.item_id
left join costed_items
    on costed_realm = revenue.realm_id and costed_client = revenue.client_id and costed_item = revenue.item_id
where revenue.category in ('hardware', 'software') and items.purchase_cost > 0 and revenue.quantity is not null
  and costed_item is null;
