-- grain: one row per line of a live bill, expense (purchase: check, cash or card charge) or vendor credit:
-- what the MSP spent, on which account or item, and for which customer when the cost is a client's
-- (fivetran/dbt_quickbooks' expenses union). `amount` is what the line adds to cost in the home currency
-- (x the document's ExchangeRate): a bill's or expense's line adds, a vendor credit's or a card credit's
-- (a purchase with Credit true: a refund to the card) takes away. Lines of other kinds (a bill's tax
-- lines, TDS) carry no account or item and are kept with both null, so nothing is lost silently.
with documents as (
    select realm_id, id as document_id, 'Bill' as document_type, payload from raw.bills where not deleted
    union all
    select realm_id, id, 'Purchase', payload from raw.purchases where not deleted
    union all
    select realm_id, id, 'VendorCredit', payload from raw.vendor_credits where not deleted
),

-- Each payload parsed once, and each line: json_extract_string reads a list of paths in one pass, each as `->>`
-- reads it (the same function); a `->>` per field parsed the whole payload (or line) again for each. The lines
-- (a wildcard) are the payload's other read.
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.Credit',                    -- 1
            '$.DocNumber',                 -- 2
            '$.TxnDate',                   -- 3
            '$.VendorRef.value',           -- 4
            '$.EntityRef.value',           -- 5
            '$.VendorRef.name',            -- 6
            '$.EntityRef.name',            -- 7
            '$.EntityRef.type',            -- 8
            '$.PaymentType',               -- 9
            '$.PrivateNote',               -- 10
            '$.CurrencyRef.value',         -- 11
            '$.ExchangeRate'               -- 12
        ]) as f,
        json_extract(payload, '$.Line[*]') as document_lines  -- read once for both its lines and their places
    from documents
),

lines as (
    select
        realm_id, document_id, document_type,
        case document_type when 'Bill' then 1 when 'VendorCredit' then -1
                           else case when (f[1])::boolean then -1 else 1 end end as sign,
        f[2] as doc_number,
        (f[3])::date as txn_date,
        coalesce(f[4], f[5]) as payee_id,
        coalesce(f[6], f[7]) as payee_name,
        coalesce(f[8], case when f[4] is not null then 'Vendor' end) as payee_type,
        f[9] as payment_type,
        f[10] as private_note,
        f[11] as currency,
        exchange_rate(f[12]) as rate,
        unnest(document_lines) as line,
        generate_subscripts(document_lines, 1) as line_index
    from parsed
),

-- a line's detail is read from the kind its DetailType names: both kinds' paths are in the line's one list
line_texts as (
    select
        lines.* exclude (line),
        json_extract_string(line, [
            '$.Id',                                                  -- 1
            '$.DetailType',                                          -- 2
            '$.Description',                                         -- 3
            '$.Amount',                                              -- 4
            '$.AccountBasedExpenseLineDetail.AccountRef.value',      -- 5: AccountBasedExpenseLineDetail 5-14
            '$.AccountBasedExpenseLineDetail.AccountRef.name',
            '$.AccountBasedExpenseLineDetail.ItemRef.value',
            '$.AccountBasedExpenseLineDetail.ItemRef.name',
            '$.AccountBasedExpenseLineDetail.Qty',
            '$.AccountBasedExpenseLineDetail.UnitPrice',
            '$.AccountBasedExpenseLineDetail.CustomerRef.value',
            '$.AccountBasedExpenseLineDetail.CustomerRef.name',
            '$.AccountBasedExpenseLineDetail.BillableStatus',
            '$.AccountBasedExpenseLineDetail.ClassRef.value',
            '$.ItemBasedExpenseLineDetail.AccountRef.value',         -- 15: ItemBasedExpenseLineDetail 15-24
            '$.ItemBasedExpenseLineDetail.AccountRef.name',
            '$.ItemBasedExpenseLineDetail.ItemRef.value',
            '$.ItemBasedExpenseLineDetail.ItemRef.name',
            '$.ItemBasedExpenseLineDetail.Qty',
            '$.ItemBasedExpenseLineDetail.UnitPrice',
            '$.ItemBasedExpenseLineDetail.CustomerRef.value',
            '$.ItemBasedExpenseLineDetail.CustomerRef.name',
            '$.ItemBasedExpenseLineDetail.BillableStatus',
            '$.ItemBasedExpenseLineDetail.ClassRef.value'
        ]) as t
    from lines
),

details as (
    select
        line_texts.* exclude (t),
        t[1] as line_id,
        t[2] as detail_type,
        t[3] as description,
        coalesce((t[4])::decimal(18, 2), 0) as line_amount,
        -- the detail's ten fields, in the order of either kind's paths above
        case t[2]
            when 'AccountBasedExpenseLineDetail' then t[5:14]
            when 'ItemBasedExpenseLineDetail' then t[15:24]
        end as detail
    from line_texts
),

final as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, line_id, detail_type,
        coalesce(description, private_note) as description,
        payee_id, payee_name, payee_type, payment_type,
        detail[1] as account_id,
        detail[2] as account_name_on_line,
        detail[3] as item_id,
        detail[4] as item_name_on_line,
        (detail[5])::decimal(20, 7) as quantity,
        (detail[6])::decimal(20, 7) as unit_price,
        detail[7] as customer_id,
        detail[8] as customer_name_on_line,
        detail[9] as billable_status,
        detail[10] as class_id,
        sign * home_amount(line_amount, rate) as amount,
        sign * line_amount as foreign_amount,
        currency,
        rate as exchange_rate
    from details
)

select * from final
