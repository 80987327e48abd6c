-- The lines behind the margin report over [first_month, last_month] (docs/METRICS.md, margin), one row per line
-- and the part of a client's month it counts in: what report lines --kind margin:COLUMN lists, and what
-- client_margin_months sums from the same lines grouped at build time, by the same rules, so the two agree.
-- Jobs count for their client; `line_index`, `child_index` place a line in its document (a listing's order).
-- `cost`: the line is a cost (every part but the revenue categories). `part`:
-- - a revenue category: the client's revenue lines by transaction month, but agreement revenue (labor_msa) in
--   the months it pays for (client_agreement_revenue);
-- - labor_covered / labor_unbilled / labor_billed: a time activity at an hour's cost (labor_part), NotBillable
--   in a month the client had agreement revenue, NotBillable in another month, or billed: QuickBooks' CostRate
--   (the activity's, else its worker's), else the owner's rate for the worker (the table worker_rates names), else
--   labor_cost (labor_cost_of). `at_default` marks the hours at labor_cost;
-- - tools: a month with agreement revenue, at the client's typed device counts (client_agreement_months);
-- - direct_hardware_software / direct_other: a cost line naming the client (on an item it bought as hardware or
--   software, or not: direct_part), and hardware and software sold at the item's purchase cost where no cost
--   line names that item for the client in the window (client_margin_items).
-- (Parameter names must differ from column names: a parameter would shadow the column.)
create or replace temp macro client_margin_lines(first_month, last_month, dated_by, only_realm, only_client,
                                                 labor_cost, tool_server, tool_desktop, worker_rates, devices)
as table
with lines as (
    select * from marts.fct_margin_lines
    where in_margin_window(month, realm_id, client_id, first_month, last_month, only_realm, only_client)
),

agreement_months as (
    select * from client_agreement_months(first_month, last_month, dated_by, only_realm, only_client, tool_server,
                                          tool_desktop, devices)
),

items as (
    select * from client_margin_items(first_month, last_month, only_realm, only_client)
),

labor as (
    select
        lines.*,
        labor_cost_of(amount, owner_rate, labor_cost, minutes, 1) as cost,
        coalesce(quickbooks_cost_rate, owner_rate, labor_cost) as rate,
        case when quickbooks_cost_rate is not null then 'QuickBooks'' cost rate (' || quickbooks_cost_rate_from || ')'
             when owner_rate is not null then 'your rate for ' || worker else 'the default rate' end as rate_from
    from lines
    left join owner_rates(worker_rates) on rate_worker_key = worker_key
    where source = 'time'
)

select
    realm_id, client_id, customer_id, month, category as part, false as cost, amount, 0 as minutes,
    false as at_default,
    document_type, document_id, doc_number, txn_date, item, detail,  -- the category is its own column
    line_index, child_index
from lines
where source = 'revenue'
union all
select
    realm_id, client_id, customer_id, month, 'labor_msa', false, amount, 0, false,
    document_type, document_id, doc_number, txn_date, item,
    'agreement revenue for ' || strftime(month, '%b %Y'), line_index, child_index
from client_agreement_revenue(first_month, last_month, dated_by, only_realm, only_client)
union all
select
    labor.realm_id, labor.client_id, customer_id, labor.month, labor_part(billed, covered.month is not null),
    true, cost, minutes, rate_from = 'the default rate',
    document_type, document_id, null, txn_date, null,
    coalesce(worker, 'no worker named') || ': ' || hours_of(minutes) || ' h x '
        || rate::decimal(18, 2) || ' (' || rate_from || ')', null, null
from labor
left join agreement_months as covered
    on covered.realm_id = labor.realm_id and covered.client_id = labor.client_id and covered.month = labor.month
   and covered.managed
union all
select
    realm_id, client_id, client_id, month, 'tools', true, tool_cost, 0, false,
    'Devices', null, null, month, null,
    servers || ' server(s) x ' || tool_server::decimal(18, 2) || ' + ' || desktops || ' desktop(s) x '
        || tool_desktop::decimal(18, 2) || ' in a month under agreement'
        || ' (' || device_counts_source(counted_by, counted_from) || ')', null, null
from agreement_months
where tool_cost is not null
union all
select
    realm_id, client_id, customer_id, month, direct_part(sold), true, amount, 0, false,
    document_type, document_id, doc_number, txn_date, item, detail, line_index, child_index
from lines
left join items on item_realm = realm_id and item_client = client_id and margin_item = lines.item_id
where source = 'cost'
union all
select
    realm_id, client_id, customer_id, month, 'direct_hardware_software', true, amount, 0, false,
    document_type, document_id, doc_number, txn_date, item, detail, line_index, child_index
from lines
left join items on item_realm = realm_id and item_client = client_id and margin_item = lines.item_id
where source = 'purchase_cost' and not coalesce(costed, false);
