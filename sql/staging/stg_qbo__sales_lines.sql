-- grain: one row per line of a live sales document, and one per line inside a bundle (group) line.
-- Each line is parsed once, by one json_extract_string of its paths (sql/macros/line_refs.sql); a bundle's own
-- lines are read out of it only where it has a GroupLineDetail.
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

-- Each line's texts named (`l`), and the lines under it, read only where it has a GroupLineDetail (none has
-- lines elsewhere). The texts are a column of their own: sales_line() names them at each field, and a parse handed
-- to it straight would be made again at each (tests/test_staging_parse_once.py).
top_parsed as (
    select
        *,
        case when l.has_group_detail then json_extract(line, '$.GroupLineDetail.Line[*]') end as children
    from (select *, sales_line(texts) as l from (
        select *, json_extract_string(line, sales_line_paths()) as texts from top_lines
    ))
),

bundle_children as (
    select
        realm_id,
        document_type,
        document_id,
        unnest(children) as child,
        line_index,
        generate_subscripts(children, 1) as child_index,
        l.group_item_id
    from top_parsed
    where l.detail_type = 'GroupLineDetail'
),

all_lines as (
    select
        realm_id, document_type, document_id, line_index, child_index, l,
        null::varchar as group_item_id,
        coalesce(len(children), 0) as child_count
    from top_parsed
    union all
    select
        realm_id, document_type, document_id, line_index, child_index, sales_line(texts) as l, group_item_id,
        0 as child_count
    from (select *, json_extract_string(child, sales_line_paths()) as texts from bundle_children)
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
        l.line_id,
        l.detail_type,
        l.description,
        l.amount,
        l.item_id,
        l.item_name_on_line,
        l.quantity,
        l.unit_price,
        l.service_date,
        l.class_id,
        l.account_id
    from all_lines
)

select * from final
