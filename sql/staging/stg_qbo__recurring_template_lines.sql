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

-- Each line parsed once: a sales line's paths (sql/macros/line_refs.sql) and a bill's item or account after them,
-- in one json_extract_string (each path as `->>` reads it: the same function).
parsed as (
    select
        *,
        json_extract_string(line, sales_line_paths() || [
            '$.ItemBasedExpenseLineDetail.ItemRef.value',        -- expense 1
            '$.ItemBasedExpenseLineDetail.ItemRef.name',         -- expense 2
            '$.ItemBasedExpenseLineDetail.Qty',                  -- expense 3
            '$.ItemBasedExpenseLineDetail.UnitPrice',            -- expense 4
            '$.AccountBasedExpenseLineDetail.ClassRef.value',    -- expense 5
            '$.ItemBasedExpenseLineDetail.ClassRef.value',       -- expense 6
            '$.AccountBasedExpenseLineDetail.AccountRef.value'   -- expense 7
        ]) as texts
    from lines
),

named as (
    select *, sales_line(texts) as l, texts[len(sales_line_paths()) + 1:] as expense from parsed
),

final as (
    select
        realm_id,
        template_id,
        template_type,
        line_index,
        l.line_id,
        l.detail_type,
        l.description,
        l.amount,
        coalesce(l.item_id, expense[1]) as item_id,
        coalesce(l.item_name_on_line, expense[2]) as item_name_on_line,
        coalesce(l.quantity, (expense[3])::decimal(20, 7)) as quantity,
        coalesce(l.unit_price, (expense[4])::decimal(20, 7)) as unit_price,
        coalesce(l.class_id, expense[5], expense[6]) as class_id,
        coalesce(l.account_id, expense[7]) as account_id
    from named
)

select * from final
