-- grain: one row per line of a live sales document, and one per line inside a bundle (group) line
with documents as (
    select realm_id, document_type, document_id, lines from staging.stg_qbo__sales_documents
),

top_lines as (
    select
        realm_id,
        document_type,
        document_id,
        unnest(lines) as line,
        generate_subscripts(lines, 1) as line_index,
        0 as child_index
    from documents
),

bundle_children as (
    select
        realm_id,
        document_type,
        document_id,
        unnest(json_extract(line, '$.GroupLineDetail.Line[*]')) as child,
        line_index,
        generate_subscripts(json_extract(line, '$.GroupLineDetail.Line[*]'), 1) as child_index,
        line->>'$.GroupLineDetail.GroupItemRef.value' as group_item_id
    from top_lines
    where line->>'$.DetailType' = 'GroupLineDetail'
),

all_lines as (
    select
        realm_id, document_type, document_id, line_index, child_index, line,
        null::varchar as group_item_id,
        coalesce(len(json_extract(line, '$.GroupLineDetail.Line[*]')), 0) as child_count
    from top_lines
    union all
    select
        realm_id, document_type, document_id, line_index, child_index, child as line,
        group_item_id,
        0 as child_count
    from bundle_children
),

final as (
    select
        realm_id,
        document_type,
        document_id,
        line_index,
        child_index,
        child_count,
        group_item_id,
        line->>'$.Id' as line_id,
        line->>'$.DetailType' as detail_type,
        line->>'$.Description' as description,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as amount,
        line_item_id(line) as item_id,
        line_item_name(line) as item_name_on_line,
        line_quantity(line) as quantity,
        line_unit_price(line) as unit_price,
        (line->>'$.SalesItemLineDetail.ServiceDate')::date as service_date,
        line_class_id(line) as class_id,
        line_account_id(line) as account_id
    from all_lines
)

select * from final
