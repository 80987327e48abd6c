-- grain: one row per line that counts in a client's margin whatever the owner's settings (docs/METRICS.md,
-- margin), by `source`: `revenue`, a revenue line naming a customer but agreement revenue's (which counts in
-- the months it pays for, as dated by the report's as-of date: fct_mrr_lines); `time`, a time activity for a
-- client, `amount` its cost at QuickBooks' cost rate to the cent, null where QuickBooks has none (the report
-- costs it at the owner's rate); `cost`, a cost line naming a client; `purchase_cost`, a hardware or software
-- line sold at its item's purchase cost. Jobs count for their client. Which part of a client's month a line
-- counts in depends on the report's 12 months and the settings: client_margin_lines decides it.
with revenue as (
    select * from marts.fct_revenue_lines where customer_id is not null and category <> 'labor_msa'
),

time_worked as (
    select * from marts.fct_time_worked where client_id is not null
),

cost_lines as (
    select * from marts.fct_cost_lines where client_id is not null
),

items as (
    select * from marts.dim_items
),

final as (
    select
        realm_id, client_id, customer_id, month, 'revenue' as source, category, amount,
        null::bigint as minutes, null::boolean as billed, null::varchar as worker, null::varchar as worker_key,
        null::decimal(18, 2) as quickbooks_cost_rate, null::varchar as quickbooks_cost_rate_from,
        item_id, item, document_type, document_id, doc_number, txn_date, line_index, child_index,
        description as detail
    from revenue
    union all
    select
        realm_id, client_id, customer_id, date_trunc('month', txn_date)::date, 'time', null,
        exact_share(quickbooks_cost_rate, minutes_worked, 60), minutes_worked,
        coalesce(billable_status <> 'NotBillable', false), worker, worker_key, quickbooks_cost_rate,
        quickbooks_cost_rate_from, null, null, 'TimeActivity', time_activity_id, null, txn_date, null, null, null
    from time_worked
    union all
    select
        cost.realm_id, client_id, customer_id, month, 'cost', null, amount, null, null, null, null, null, null,
        cost.item_id, items.name,  -- the item a line names (a bill for hardware sold), as revenue lines show it
        document_type, document_id, doc_number, txn_date, line_index, null,
        concat_ws(': ', payee_name, coalesce(account, 'an account not loaded'), description)
    from cost_lines as cost
    left join items on items.realm_id = cost.realm_id and items.item_id = cost.item_id
    union all
    select
        revenue.realm_id, client_id, customer_id, month, 'purchase_cost', category,
        round(quantity * items.purchase_cost, 2)::decimal(18, 2), null, null, null, null, null, null,
        revenue.item_id, item, document_type, document_id, doc_number, txn_date, line_index, child_index,
        'sold at purchase cost: ' || quantity::decimal(18, 2) || ' x ' || items.purchase_cost::decimal(18, 2)
    from revenue
    join items on items.realm_id = revenue.realm_id and items.item_id = revenue.item_id
    where category in ('hardware', 'software') and items.purchase_cost > 0 and quantity is not null
)

select * from final
