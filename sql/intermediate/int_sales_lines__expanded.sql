-- grain: one revenue-bearing line per sales document: item lines, bundle children, discount lines.
-- Subtotal and description-only lines are skipped; a bundle counts through its children, so the
-- bundle line itself is skipped unless QuickBooks sent it without children.
with lines as (
    select * from staging.stg_qbo__sales_lines
),

final as (
    select
        * exclude (detail_type, child_count),
        case when detail_type = 'DiscountLineDetail' then 'discount' else 'item' end as line_kind
    from lines
    where coalesce(detail_type, '') not in ('SubTotalLineDetail', 'DescriptionOnly', 'DescriptionLineDetail')
      and not (detail_type = 'GroupLineDetail' and child_count > 0)
)

select * from final
