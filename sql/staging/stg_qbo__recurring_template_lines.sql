-- grain: one row per line of a live recurring template, bundle (group) lines and their child lines alike,
-- as stg_qbo__sales_lines keeps a document's. A line names its item (a sales item, a bundle or a bill's item)
-- or its account (a line's income account, an expense line's account, a discount's account). Amounts are
-- the template's, in its currency.
with templates as (
    select realm_id, template_id, template_type, lines from staging.stg_qbo__recurring_templates
),

top_lines as (
    select
        realm_id,
        template_id,
        template_type,
        unnest(lines) as line,
        generate_subscripts(lines, 1) as line_index,
        0 as child_index
    from templates
),

bundle_children as (
    select
        realm_id,
        template_id,
        template_type,
        unnest(json_extract(line, '$.GroupLineDetail.Line[*]')) as child,
        line_index,
        generate_subscripts(json_extract(line, '$.GroupLineDetail.Line[*]'), 1) as child_index
    from top_lines
    where line->>'$.DetailType' = 'GroupLineDetail'
),

all_lines as (
    select realm_id, template_id, template_type, line_index, child_index, line from top_lines
    union all
    select realm_id, template_id, template_type, line_index, child_index, child from bundle_children
),

final as (
    select
        realm_id,
        template_id,
        template_type,
        line_index,
        child_index,
        line->>'$.Id' as line_id,
        line->>'$.DetailType' as detail_type,
        line->>'$.Description' as description,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as amount,
        coalesce(
            line->>'$.SalesItemLineDetail.ItemRef.value',
            line->>'$.GroupLineDetail.GroupItemRef.value',
            line->>'$.ItemBasedExpenseLineDetail.ItemRef.value'
        ) as item_id,
        coalesce(
            line->>'$.SalesItemLineDetail.ItemRef.name',
            line->>'$.GroupLineDetail.GroupItemRef.name',
            line->>'$.ItemBasedExpenseLineDetail.ItemRef.name'
        ) as item_name_on_line,
        coalesce(
            (line->>'$.SalesItemLineDetail.Qty')::decimal(20, 7),
            (line->>'$.GroupLineDetail.Quantity')::decimal(20, 7),
            (line->>'$.ItemBasedExpenseLineDetail.Qty')::decimal(20, 7)
        ) as quantity,
        coalesce(
            (line->>'$.SalesItemLineDetail.UnitPrice')::decimal(20, 7),
            (line->>'$.ItemBasedExpenseLineDetail.UnitPrice')::decimal(20, 7)
        ) as unit_price,
        coalesce(
            line->>'$.SalesItemLineDetail.ClassRef.value',
            line->>'$.DiscountLineDetail.ClassRef.value',
            line->>'$.AccountBasedExpenseLineDetail.ClassRef.value',
            line->>'$.ItemBasedExpenseLineDetail.ClassRef.value'
        ) as class_id,
        coalesce(
            line->>'$.SalesItemLineDetail.ItemAccountRef.value',
            line->>'$.DiscountLineDetail.DiscountAccountRef.value',
            line->>'$.AccountBasedExpenseLineDetail.AccountRef.value'
        ) as account_id
    from all_lines
)

select * from final
