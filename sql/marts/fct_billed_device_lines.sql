-- grain: one row per invoice or sales receipt line that bills devices, as the device-kind rules tell (the first
-- matching rule kind: item, item category path, income account, class, as categories are: int_rule_decisions):
-- its kind, its service month (the service date's month, else the document's), the devices it bills (its
-- quantity) and its rate per device (the line's unit price, else its amount over its quantity). A credit memo or
-- refund gives money back (an outage credit, cancelled months) but takes no device off what was billed, so none
-- is here.
with lines as (
    select * from marts.fct_revenue_lines where document_type in ('Invoice', 'SalesReceipt')
),

decisions as (
    select * from intermediate.int_rule_decisions where rule_set = 'device_kind'
),

decided as (
    select lines.*, decisions.decision as device_kind, decisions.rule_pattern as device_rule
    from lines
    join decisions
        on decisions.realm_id = lines.realm_id
        and decisions.item_id is not distinct from lines.item_id
        and decisions.income_account_id is not distinct from lines.income_account_id
        and decisions.class_id is not distinct from lines.class_id
),

final as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, child_index,
        client_id, client, customer_id, customer, item_id, item, device_kind, device_rule,
        coalesce(date_trunc('month', service_date)::date, month) as service_month,
        coalesce(quantity, 0)::decimal(20, 7) as devices,
        coalesce(unit_price, case when quantity <> 0 then gross_amount / quantity end)::decimal(20, 7) as rate,
        amount,
        currency
    from decided
)

select * from final
