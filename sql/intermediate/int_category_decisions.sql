-- grain: one row per (realm, item, line's account, class) that a sales line, a recurring template's line or
-- a journal-entry or deposit line names, with the category the first matching rule gives: the item, then the
-- item's category path, then the income account (the line's, else the item's), then the class (the line's,
-- else its document's or template's); no match is 'unmapped', never a guess. One home for the rules' decision:
-- sales lines (int_sales_lines__categorised), postings to income (int_account_postings__categorised: no item,
-- so the account, then the class) and template lines (fct_recurring_template_lines) all join to it, so a
-- template's line is what the invoice it makes will be.
with sales_lines as (
    select realm_id, document_type, document_id, item_id, account_id, class_id
    from intermediate.int_sales_lines__discounted
),

documents as (
    select realm_id, document_type, document_id, class_id as document_class_id
    from intermediate.int_sales_documents
),

template_lines as (
    select realm_id, template_id, item_id, account_id, class_id from staging.stg_qbo__recurring_template_lines
),

templates as (
    select realm_id, template_id, class_id as template_class_id from staging.stg_qbo__recurring_templates
),

postings as (
    select realm_id, account_id, class_id from staging.stg_qbo__account_postings
),

items as (
    select realm_id, item_id, income_account_id from staging.stg_qbo__items
),

matches as (
    select * from intermediate.int_category_rule_matches
),

named as (
    select distinct
        sales_lines.realm_id, sales_lines.item_id, sales_lines.account_id,
        coalesce(sales_lines.class_id, documents.document_class_id) as class_id
    from sales_lines
    join documents using (realm_id, document_type, document_id)
    union
    select distinct
        template_lines.realm_id, template_lines.item_id, template_lines.account_id,
        coalesce(template_lines.class_id, templates.template_class_id) as class_id
    from template_lines
    join templates using (realm_id, template_id)
    union
    select distinct realm_id, null as item_id, account_id, class_id from postings
),

resolved as (
    select named.*, coalesce(named.account_id, items.income_account_id) as income_account_id
    from named
    left join items on items.realm_id = named.realm_id and items.item_id = named.item_id
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
        and by_class.id = resolved.class_id
),

final as (
    select
        realm_id,
        item_id,
        account_id,
        class_id,
        income_account_id,
        coalesce(decision.category, 'unmapped') as category,
        decision.subcategory as subcategory,
        coalesce(decision.kind, 'unmapped') as rule,
        decision.pattern as rule_pattern
    from decided
)

select * from final
