-- grain: one row per line of a live bill, expense (purchase: check, cash or card charge) or vendor credit:
-- what the MSP spent, on which account or item, and for which customer when the cost is a client's
-- (fivetran/dbt_quickbooks' expenses union). `amount` is what the line adds to cost in the home currency
-- (x the document's ExchangeRate): a bill's or expense's line adds, a vendor credit's or a card credit's
-- (a purchase with Credit true: a refund to the card) takes away. Lines of other kinds (a bill's tax
-- lines, TDS) carry no account or item and are kept with both null, so nothing is lost silently.
with documents as (
    select realm_id, id as document_id, 'Bill' as document_type, 1 as sign, payload
    from raw.bills where not deleted
    union all
    select realm_id, id, 'Purchase',
           case when (payload->>'$.Credit')::boolean then -1 else 1 end, payload
    from raw.purchases where not deleted
    union all
    select realm_id, id, 'VendorCredit', -1, payload from raw.vendor_credits where not deleted
),

lines as (
    select
        realm_id, document_id, document_type, sign,
        payload->>'$.DocNumber' as doc_number,
        (payload->>'$.TxnDate')::date as txn_date,
        coalesce(payload->>'$.VendorRef.value', payload->>'$.EntityRef.value') as payee_id,
        coalesce(payload->>'$.VendorRef.name', payload->>'$.EntityRef.name') as payee_name,
        coalesce(payload->>'$.EntityRef.type', case when payload->>'$.VendorRef.value' is not null
                                                    then 'Vendor' end) as payee_type,
        payload->>'$.PaymentType' as payment_type,
        payload->>'$.PrivateNote' as private_note,
        payload->>'$.CurrencyRef.value' as currency,
        exchange_rate(payload) as rate,
        unnest(json_extract(payload, '$.Line[*]')) as line,
        generate_subscripts(json_extract(payload, '$.Line[*]'), 1) as line_index
    from documents
),

details as (
    select
        lines.* exclude (line),
        line->>'$.Id' as line_id,
        line->>'$.DetailType' as detail_type,
        line->>'$.Description' as description,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as line_amount,
        case line->>'$.DetailType'
            when 'AccountBasedExpenseLineDetail' then json_extract(line, '$.AccountBasedExpenseLineDetail')
            when 'ItemBasedExpenseLineDetail' then json_extract(line, '$.ItemBasedExpenseLineDetail')
        end as detail
    from lines
),

final as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, line_id, detail_type,
        coalesce(description, private_note) as description,
        payee_id, payee_name, payee_type, payment_type,
        detail->>'$.AccountRef.value' as account_id,
        detail->>'$.AccountRef.name' as account_name_on_line,
        detail->>'$.ItemRef.value' as item_id,
        detail->>'$.ItemRef.name' as item_name_on_line,
        (detail->>'$.Qty')::decimal(20, 7) as quantity,
        (detail->>'$.UnitPrice')::decimal(20, 7) as unit_price,
        detail->>'$.CustomerRef.value' as customer_id,
        detail->>'$.CustomerRef.name' as customer_name_on_line,
        detail->>'$.BillableStatus' as billable_status,
        detail->>'$.ClassRef.value' as class_id,
        sign * home_amount(line_amount, rate) as amount,
        sign * line_amount as foreign_amount,
        currency,
        rate as exchange_rate
    from details
)

select * from final
