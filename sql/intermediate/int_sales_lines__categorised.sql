-- grain: one row per revenue-bearing sales line, with the category the rules give the item, account and class
-- it names (int_category_decisions: the item, then the item's category path, then the income account (the
-- line's, else the item's), then the class (the line's, else the document's); no match is 'unmapped')
with lines as (
    select * from intermediate.int_sales_lines__discounted
),

documents as (
    select realm_id, document_type, document_id, class_id as document_class_id
    from intermediate.int_sales_documents
),

decisions as (
    select * from intermediate.int_category_decisions
),

resolved as (
    select
        lines.*,
        coalesce(lines.class_id, documents.document_class_id) as effective_class_id
    from lines
    join documents using (realm_id, document_type, document_id)
),

final as (
    select
        resolved.* exclude (account_id, class_id, effective_class_id),
        decisions.income_account_id,
        resolved.effective_class_id,
        resolved.effective_class_id as class_id,
        decisions.category,
        decisions.subcategory,
        decisions.rule,
        decisions.rule_pattern
    from resolved
    join decisions
        on decisions.realm_id = resolved.realm_id
        and decisions.item_id is not distinct from resolved.item_id
        and decisions.account_id is not distinct from resolved.account_id
        and decisions.class_id is not distinct from resolved.effective_class_id
)

select * from final
