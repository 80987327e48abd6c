-- Sales documents whose revenue lines, with their lines to accounts outside income, do not add up
-- to the document's total less tax (zero rows pass).
with documents as (
    select * from marts.fct_sales_documents where not is_voided
),

lines as (
    select realm_id, document_type, document_id, sum(amount) as lines_total
    from (
        select realm_id, document_type, document_id, amount from marts.fct_revenue_lines
        union all
        select realm_id, document_type, document_id, amount from marts.fct_other_sales_lines
    )
    group by all
),

final as (
    select
        documents.realm_id,
        documents.document_type,
        documents.document_id,
        documents.doc_number,
        documents.sign * (documents.total_amount - documents.total_tax) as expected,
        coalesce(lines.lines_total, 0) as lines_total
    from documents
    left join lines using (realm_id, document_type, document_id)
    where coalesce(lines.lines_total, 0) <> documents.sign * (documents.total_amount - documents.total_tax)
)

select * from final
