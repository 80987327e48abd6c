-- grain: one row per item line of a sales document, carrying its share of the document's discounts.
-- A discount is spread over the document's item lines in proportion to their amounts, in whole
-- cents, by rounding the running total (so the shares add up to the discount exactly). A discount
-- on a document whose item lines add up to zero cannot be spread and stays a line of its own.
with lines as (
    select * from intermediate.int_sales_lines__expanded
),

discounts as (
    select realm_id, document_type, document_id, sum(amount) as discount
    from lines
    where line_kind = 'discount'
    group by all
),

items as (
    select
        lines.*,
        coalesce(discounts.discount, 0) as document_discount,
        sum(lines.amount) over document as document_gross,
        sum(lines.amount) over (document order by line_index, child_index rows unbounded preceding) as running_gross
    from lines
    left join discounts using (realm_id, document_type, document_id)
    where line_kind = 'item'
    window document as (partition by realm_id, document_type, document_id)
),

running_shares as (
    select
        *,
        case
            when document_discount = 0 or document_gross = 0 then 0::hugeint
            -- round(discount * running / gross) in cents, half away from zero, in integers only
            else floor_div(
                2 * (document_discount * 100)::hugeint * (running_gross * 100)::hugeint * sign(document_gross)
                    + abs((document_gross * 100)::hugeint),
                2 * abs((document_gross * 100)::hugeint)
            )
        end as running_share_cents
    from items
),

item_shares as (
    select
        * exclude (running_share_cents, document_discount, document_gross, running_gross),
        ((running_share_cents - lag(running_share_cents, 1, 0) over (
            partition by realm_id, document_type, document_id order by line_index, child_index
        ))::decimal(38, 0) * 0.01)::decimal(18, 2) as discount_amount
    from running_shares
),

unspread_discounts as (
    select
        lines.* exclude (amount),
        0::decimal(18, 2) as amount,
        lines.amount as discount_amount
    from lines
    left join (select distinct realm_id, document_type, document_id, document_gross from items) as gross
        using (realm_id, document_type, document_id)
    where lines.line_kind = 'discount' and coalesce(gross.document_gross, 0) = 0
),

final as (
    select * from item_shares
    union all by name
    select * from unspread_discounts
)

select * from final
