-- grain: one row per (realm, item, line's account, class) that a sales line, a recurring template's line or a
-- journal-entry or deposit line names, with the income account the rules look up: the line's, else the item's.
-- The class is the line's, else its document's or template's; a posting names no item.
with sales_lines as (
    select realm_id, document_type, document_id, item_id, account_id, class_id
    from intermediate.int_sales_lines__discounted
),

-- only the documents with a class: a line's document is always in int_sales_documents (its lines are
-- int_sales_lines__expanded's, each joined to its staging document), so a line whose document is not here takes no
-- class from it; the join reads a few rows instead of matching every line with its document (most have no class)
classed_documents as (
    select realm_id, document_type, document_id, class_id as document_class_id
    from intermediate.int_sales_documents
    where class_id is not null
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

named as (
    select distinct
        sales_lines.realm_id, sales_lines.item_id, sales_lines.account_id,
        coalesce(sales_lines.class_id, classed_documents.document_class_id) as class_id
    from sales_lines
    left join classed_documents using (realm_id, document_type, document_id)
    union
    select distinct
        template_lines.realm_id, template_lines.item_id, template_lines.account_id,
        coalesce(template_lines.class_id, templates.template_class_id) as class_id
    from template_lines
    join templates using (realm_id, template_id)
    union
    select distinct realm_id, null as item_id, account_id, class_id from postings
),

final as (
    select named.*, coalesce(named.account_id, items.income_account_id) as income_account_id
    from named
    left join items on items.realm_id = named.realm_id and items.item_id = named.item_id
)

select * from final
