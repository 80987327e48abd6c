-- grain: one row per time activity and cost line of fct_margin_lines, by `source`: `time`, a time activity for a
-- client, `amount` its cost at QuickBooks' cost rate to the cent, null where QuickBooks has none (the report costs
-- it at the owner's rate); `cost`, a cost line naming a client. Keyed by time activity and cost document, not by
-- sales document: made again for the time activities and cost documents changed (sql/incremental/documents.sql),
-- and left as it is by a build that changed nothing it reads (a day's invoices and payments).
with time_worked as (
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
        realm_id, client_id, customer_id, date_trunc('month', txn_date)::date as month, 'time' as source,
        null::varchar as category, exact_share(quickbooks_cost_rate, minutes_worked, 60)::decimal(18, 2) as amount,
        minutes_worked::bigint as minutes, coalesce(billable_status <> 'NotBillable', false) as billed, worker, worker_key,
        quickbooks_cost_rate, quickbooks_cost_rate_from, null::varchar as item_id, null::varchar as item,
        'TimeActivity' as document_type, time_activity_id as document_id, null::varchar as doc_number, txn_date,
        null::bigint as line_index, null::bigint as child_index, null::varchar as detail
    from time_worked
    union all
    select
        cost.realm_id, client_id, customer_id, month, 'cost', null, amount, null, null, null, null, null, null,
        cost.item_id, items.name,  -- the item a line names (a bill for hardware sold), as revenue lines show it
        document_type, document_id, doc_number, txn_date, line_index, null,
        concat_ws(': ', payee_name, coalesce(account, 'an account not loaded'), description)
    from cost_lines as cost
    left join items on items.realm_id = cost.realm_id and items.item_id = cost.item_id
)

select * from final
