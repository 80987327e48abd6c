-- grain: one row per live sales document (invoice, sales receipt, credit memo, refund receipt).
-- Amounts are in the home currency (home_amount: x ExchangeRate, to the cent); the tax is what is left
-- of the home total once the lines are converted as one sum, so the converted lines, which
-- int_sales_lines__expanded rounds by running total, still add up to total less tax.
with invoices as (
    select 'Invoice' as document_type, * from raw.invoices where not deleted
),

sales_receipts as (
    select 'SalesReceipt' as document_type, * from raw.sales_receipts where not deleted
),

credit_memos as (
    select 'CreditMemo' as document_type, * from raw.credit_memos where not deleted
),

refund_receipts as (
    select 'RefundReceipt' as document_type, * from raw.refund_receipts where not deleted
),

documents as (
    select * from invoices
    union all select * from sales_receipts
    union all select * from credit_memos
    union all select * from refund_receipts
),

-- Each payload is parsed once: json_extract_string with a list of paths reads them all in one pass and gives
-- each what `payload->>path` gives (the same function), where one `->>` per field parsed the whole payload
-- again for each. The lines (a wildcard, which a list of paths cannot hold) are the one other read.
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.DocNumber',                 -- 1
            '$.TxnDate',                   -- 2
            '$.DueDate',                   -- 3
            '$.CustomerRef.value',         -- 4
            '$.CustomerRef.name',          -- 5
            '$.ClassRef.value',            -- 6
            '$.SalesTermRef.value',        -- 7
            '$.TotalAmt',                  -- 8
            '$.TxnTaxDetail.TotalTax',     -- 9
            '$.Balance',                   -- 10
            '$.RemainingCredit',           -- 11
            '$.Deposit',                   -- 12
            '$.CurrencyRef.value',         -- 13
            '$.ExchangeRate',              -- 14
            '$.PrivateNote',               -- 15
            '$.PaymentMethodRef.name'      -- 16
        ]) as f
    from documents
),

rated as (  -- amounts in the document's own currency, and its rate to the home currency
    select
        *,
        exchange_rate(f[14]) as rate,
        coalesce((f[8])::decimal(18, 2), 0) as foreign_total,
        coalesce((f[9])::decimal(18, 2), 0) as foreign_tax
    from parsed
),

final as (
    select
        realm_id,
        document_type,
        id as document_id,
        f[1] as doc_number,
        (f[2])::date as txn_date,
        (f[3])::date as due_date,
        f[4] as customer_id,
        f[5] as customer_name_on_document,
        f[6] as class_id,
        f[7] as sales_term_id,
        home_amount(foreign_total, rate) as total_amount,
        home_amount(foreign_total, rate) - home_amount(foreign_total - foreign_tax, rate) as total_tax,
        home_amount((f[10])::decimal(18, 2), rate) as balance,
        home_amount((f[11])::decimal(18, 2), rate) as remaining_credit,
        home_amount(coalesce((f[12])::decimal(18, 2), 0), rate) as deposit,
        f[13] as currency,
        rate as exchange_rate,
        foreign_total as foreign_total_amount,
        f[15] as private_note,
        f[16] as payment_method,  -- a sales receipt's (how it was paid at sale)
        json_extract(payload, '$.Line[*]') as lines,
        last_updated
    from rated
)

select * from final
