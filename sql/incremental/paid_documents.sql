-- grain: one row per document whose rows the payment models (int_payment_applications and the marts of payments
-- applied to documents), fct_invoice_payment_shares and fct_cash_revenue_lines make again: the affected documents
-- (temp.main.documents), and every document a payment parsed again is applied to now or was applied to in the
-- published snapshot (temp.main.applications_before). A document's applications are in home currency by a running
-- total of every payment applied to it (so all of them are made again together), at its own rate; an invoice's
-- shares of each sum paid towards it are in home currency, each payment's after the earlier ones applied to the
-- same invoice; a document's cash lines read its revenue lines, those shares and the payments' references: all of
-- the document's own record or of payments applied to it.
insert into temp.main.paid_documents
with payments_changed as (
    select realm_id, id as payment_id from {work}.parsed.pending where entity = 'Payment'
),

applied_now as (
    select realm_id, applied_to_type as document_type, applied_to_id as document_id
    from staging.stg_qbo__payment_applications
    semi join payments_changed using (realm_id, payment_id)
),

final as (
    select realm_id, document_type, document_id from temp.main.documents
    union
    select * from applied_now
    union
    select * from temp.main.applications_before
)

select * from final;
