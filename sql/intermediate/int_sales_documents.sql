-- grain: one row per live sales document, with its revenue sign and void status
with documents as (
    select * from staging.stg_qbo__sales_documents
),

final as (
    select
        * exclude (lines),
        -- credit memos and refund receipts give revenue back
        case when document_type in ('CreditMemo', 'RefundReceipt') then -1 else 1 end as sign,
        -- QuickBooks keeps a voided document with zero amounts and a "Voided" private note
        (total_amount = 0 and coalesce(private_note, '') ilike 'void%') as is_voided
    from documents
)

select * from final
