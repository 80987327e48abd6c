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

rated as (  -- amounts in the document's own currency, and its rate to the home currency
    select
        *,
        exchange_rate(payload) as rate,
        coalesce((payload->>'$.TotalAmt')::decimal(18, 2), 0) as foreign_total,
        coalesce((payload->>'$.TxnTaxDetail.TotalTax')::decimal(18, 2), 0) as foreign_tax
    from documents
),

final as (
    select
        realm_id,
        document_type,
        id as document_id,
        payload->>'$.DocNumber' as doc_number,
        (payload->>'$.TxnDate')::date as txn_date,
        (payload->>'$.DueDate')::date as due_date,
        payload->>'$.CustomerRef.value' as customer_id,
        payload->>'$.CustomerRef.name' as customer_name_on_document,
        payload->>'$.ClassRef.value' as class_id,
        payload->>'$.SalesTermRef.value' as sales_term_id,
        home_amount(foreign_total, rate) as total_amount,
        home_amount(foreign_total, rate) - home_amount(foreign_total - foreign_tax, rate) as total_tax,
        home_amount((payload->>'$.Balance')::decimal(18, 2), rate) as balance,
        home_amount((payload->>'$.RemainingCredit')::decimal(18, 2), rate) as remaining_credit,
        home_amount(coalesce((payload->>'$.Deposit')::decimal(18, 2), 0), rate) as deposit,
        payload->>'$.CurrencyRef.value' as currency,
        rate as exchange_rate,
        foreign_total as foreign_total_amount,
        payload->>'$.PrivateNote' as private_note,
        payload->>'$.PaymentMethodRef.name' as payment_method,  -- a sales receipt's (how it was paid at sale)
        json_extract(payload, '$.Line[*]') as lines,
        last_updated
    from rated
)

select * from final
