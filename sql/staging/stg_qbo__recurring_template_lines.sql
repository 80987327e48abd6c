-- grain: one row per line of a live recurring template, as QuickBooks lists them (a bundle is one line: its
-- group item, quantity and amount; its own lines stay in the payload). A line names its item (a sales item, a
-- bundle, a bill's item) or its account (an item line's income account, a discount's, an expense line's),
-- read as a sales document's lines are (sql/macros/line_refs.sql). Amounts are the template's, in its currency.
with templates as (
    select realm_id, template_id, template_type, lines from staging.stg_qbo__recurring_templates
),

lines as (
    select
        realm_id,
        template_id,
        template_type,
        unnest(lines) as line,
        generate_subscripts(lines, 1) as line_index
    from templates
),

final as (
    select
        realm_id,
        template_id,
        template_type,
        line_index,
        line->>'$.Id' as line_id,
        line->>'$.DetailType' as detail_type,
        line->>'$.Description' as description,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as amount,
        coalesce(line_item_id(line), line->>'$.ItemBasedExpenseLineDetail.ItemRef.value') as item_id,
        coalesce(line_item_name(line), line->>'$.ItemBasedExpenseLineDetail.ItemRef.name') as item_name_on_line,
        coalesce(line_quantity(line), (line->>'$.ItemBasedExpenseLineDetail.Qty')::decimal(20, 7)) as quantity,
        coalesce(line_unit_price(line), (line->>'$.ItemBasedExpenseLineDetail.UnitPrice')::decimal(20, 7))
            as unit_price,
        coalesce(line_class_id(line), line->>'$.AccountBasedExpenseLineDetail.ClassRef.value',
                 line->>'$.ItemBasedExpenseLineDetail.ClassRef.value') as class_id,
        coalesce(line_account_id(line), line->>'$.AccountBasedExpenseLineDetail.AccountRef.value') as account_id
    from lines
)

select * from final
