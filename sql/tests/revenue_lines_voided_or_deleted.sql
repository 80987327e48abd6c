-- Revenue lines of sales documents that belong to a voided document or to no live document (zero rows
-- pass). Journal-entry and deposit lines come only from live records (stg_qbo__account_postings).
with lines as (
    select * from marts.fct_revenue_lines where document_type not in ('JournalEntry', 'Deposit')
),

documents as (
    select * from marts.fct_sales_documents
),

final as (
    select lines.realm_id, lines.document_type, lines.document_id, lines.amount
    from lines
    left join documents using (realm_id, document_type, document_id)
    where documents.document_id is null or documents.is_voided
)

select * from final
