-- grain: one row per item line of a sales document, carrying its share of the discounts that reach it.
-- A discount line inside a bundle (group) is that bundle's: it is spread over the bundle's own item
-- lines. Any other discount is the document's: spread over all its item lines but shipping (the line
-- of QuickBooks' SHIPPING_ITEM_ID: QuickBooks discounts the products, never the freight). Each spread is in
-- proportion to the lines' amounts, in whole cents, by rounding the running total (so the shares add
-- up to the discount exactly). A discount whose lines add up to zero cannot be spread and stays a
-- line of its own.
with lines as (
    select
        *,
        case when child_index > 0 then line_index end as bundle_index  -- null: on the document itself
    from intermediate.int_sales_lines__expanded
),

discounts as (
    select realm_id, document_type, document_id, bundle_index, sum(amount) as discount
    from lines
    where line_kind = 'discount'
    group by all
),

items as (
    select *, coalesce(item_id = 'SHIPPING_ITEM_ID', false) as is_shipping from lines where line_kind = 'item'
),

reached as (  -- each item line once per discount that reaches it: its document's, its bundle's
    select
        items.realm_id, items.document_type, items.document_id, items.line_index, items.child_index,
        items.amount, discounts.bundle_index as scope, discounts.discount
    from items
    join discounts
        on discounts.realm_id = items.realm_id and discounts.document_type = items.document_type
        and discounts.document_id = items.document_id
        and (discounts.bundle_index is null and not items.is_shipping or discounts.bundle_index = items.bundle_index)
),

running as (
    select
        *,
        sum(amount) over scope as scope_gross,
        sum(amount) over (scope order by line_index, child_index rows unbounded preceding) as running_gross
    from reached
    window scope as (partition by realm_id, document_type, document_id, scope)
),

running_shares as (
    select
        *,
        case
            when discount = 0 or scope_gross = 0 then 0::hugeint
            -- round(discount * running / gross) in cents, half away from zero, in integers only
            else floor_div(
                2 * (discount * 100)::hugeint * (running_gross * 100)::hugeint * sign(scope_gross)
                    + abs((scope_gross * 100)::hugeint),
                2 * abs((scope_gross * 100)::hugeint)
            )
        end as running_share_cents
    from running
),

line_shares as (
    select
        realm_id, document_type, document_id, line_index, child_index,
        (sum(share_cents)::decimal(38, 0) * 0.01)::decimal(18, 2) as discount_amount
    from (
        select
            *,
            running_share_cents - lag(running_share_cents, 1, 0) over (
                partition by realm_id, document_type, document_id, scope order by line_index, child_index
            ) as share_cents
        from running_shares
    )
    group by all
),

item_shares as (
    select
        items.* exclude (bundle_index, is_shipping),
        coalesce(line_shares.discount_amount, 0)::decimal(18, 2) as discount_amount
    from items
    left join line_shares using (realm_id, document_type, document_id, line_index, child_index)
),

scope_gross as (
    select realm_id, document_type, document_id, null::bigint as bundle_index, sum(amount) as gross
    from items
    where not is_shipping
    group by all
    union all
    select realm_id, document_type, document_id, bundle_index, sum(amount)
    from items
    where bundle_index is not null
    group by all
),

unspread_discounts as (
    select
        lines.* exclude (amount, bundle_index),
        0::decimal(18, 2) as amount,
        lines.amount as discount_amount
    from lines
    left join scope_gross as gross
        on gross.realm_id = lines.realm_id and gross.document_type = lines.document_type
        and gross.document_id = lines.document_id and gross.bundle_index is not distinct from lines.bundle_index
    where lines.line_kind = 'discount' and coalesce(gross.gross, 0) = 0
),

final as (
    select * from item_shares
    union all by name
    select * from unspread_discounts
)

select * from final
