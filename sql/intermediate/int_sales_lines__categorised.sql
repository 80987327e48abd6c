-- grain: one row per revenue-bearing sales line, with the category the first matching rule gives:
-- the item, then the item's category path, then the income account (the line's, else the item's),
-- then the class (the line's, else the document's); no match is 'unmapped', never a guess
with lines as (
    select * from intermediate.int_sales_lines__discounted
),

documents as (
    select realm_id, document_type, document_id, class_id as document_class_id
    from intermediate.int_sales_documents
),

items as (
    select realm_id, item_id, income_account_id from staging.stg_qbo__items
),

matches as (
    select * from intermediate.int_category_rule_matches
),

resolved as (
    select
        lines.*,
        coalesce(lines.account_id, items.income_account_id) as income_account_id,
        coalesce(lines.class_id, documents.document_class_id) as effective_class_id
    from lines
    join documents using (realm_id, document_type, document_id)
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
),

decided as (
    select
        resolved.*,
        case
            when by_item.kind is not null then by_item
            when by_path.kind is not null then by_path
            when by_account.kind is not null then by_account
            when by_class.kind is not null then by_class
        end as decision
    from resolved
    left join matches as by_item
        on by_item.kind = 'item' and by_item.realm_id = resolved.realm_id and by_item.id = resolved.item_id
    left join matches as by_path
        on by_path.kind = 'item_category' and by_path.realm_id = resolved.realm_id and by_path.id = resolved.item_id
    left join matches as by_account
        on by_account.kind = 'income_account' and by_account.realm_id = resolved.realm_id
        and by_account.id = resolved.income_account_id
    left join matches as by_class
        on by_class.kind = 'class' and by_class.realm_id = resolved.realm_id
        and by_class.id = resolved.effective_class_id
),

final as (
    select
        * exclude (decision, account_id, class_id),
        effective_class_id as class_id,
        coalesce(decision.category, 'unmapped') as category,
        decision.subcategory as subcategory,
        coalesce(decision.kind, 'unmapped') as rule,
        decision.pattern as rule_pattern
    from decided
)

select * from final
