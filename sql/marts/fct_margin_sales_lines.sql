-- grain: one row per sales line of fct_margin_lines, by `source`: `revenue`, a revenue line naming a customer but
-- agreement revenue's (which counts in the months it pays for: fct_mrr_lines); `purchase_cost`, a hardware or
-- software line sold at its item's purchase cost. Keyed by sales document: made again only for the documents a
-- build's changes reached (sql/incremental/incremental.toml; an item's purchase cost reaches every line naming it).
with revenue as (
    select * from marts.fct_revenue_lines where customer_id is not null and category <> 'labor_msa'
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
        revenue.realm_id, client_id, customer_id, month, 'purchase_cost', category,
        round(quantity * items.purchase_cost, 2)::decimal(18, 2), null, null, null, null, null, null,
        revenue.item_id, item, document_type, document_id, doc_number, txn_date, line_index, child_index,
        'sold at purchase cost: ' || quantity::decimal(18, 2) || ' x ' || items.purchase_cost::decimal(18, 2)
    from revenue
    join items on items.realm_id = revenue.realm_id and items.item_id = revenue.item_id
    where category in ('hardware', 'software') and items.purchase_cost > 0 and quantity is not null
)

select * from final
