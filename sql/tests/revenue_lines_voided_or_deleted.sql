-- Revenue lines that belong to a voided document or to no live document (zero rows pass).
with lines as (
    select * from marts.fct_revenue_lines
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
