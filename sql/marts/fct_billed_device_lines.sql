-- grain: one row per invoice or sales receipt line that bills devices, as the device-kind rules tell (the first
-- matching rule kind: item, item category path, income account, class, as categories are decided): its kind, its
-- service month (the service date's month, else the document's), the devices it bills (its quantity) and its
-- rate per device (the line's unit price, else its amount over its quantity). A credit memo or refund gives money
-- back (an outage credit, cancelled months) but takes no device off what was billed, so none is here.
with lines as (
    select * from marts.fct_revenue_lines where document_type in ('Invoice', 'SalesReceipt')
),

matches as (
    select * from intermediate.int_device_kind_rule_matches
),

decided as (
    select
        lines.*,
        coalesce(by_item.device_kind, by_path.device_kind, by_account.device_kind, by_class.device_kind)
            as device_kind,
        coalesce(by_item.pattern, by_path.pattern, by_account.pattern, by_class.pattern) as device_rule
    from lines
    left join matches as by_item
        on by_item.kind = 'item' and by_item.realm_id = lines.realm_id and by_item.id = lines.item_id
    left join matches as by_path
        on by_path.kind = 'item_category' and by_path.realm_id = lines.realm_id and by_path.id = lines.item_id
    left join matches as by_account
        on by_account.kind = 'income_account' and by_account.realm_id = lines.realm_id
        and by_account.id = lines.income_account_id
    left join matches as by_class
        on by_class.kind = 'class' and by_class.realm_id = lines.realm_id and by_class.id = lines.class_id
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
    where device_kind is not null
)

select * from final
