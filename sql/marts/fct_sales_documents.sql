-- grain: one row per live sales document (voided ones included, marked), with its revenue sign
with documents as (
    select * from intermediate.int_sales_documents
),

final as (
    select * from documents
)

select * from final
