-- grain: one row per line of a live, unvoided sales document that posts outside the Income accounts,
-- so is not revenue: Other Income, a liability (customer deposits, retainers: held for the client),
-- an asset, expense or equity account. Same columns as fct_revenue_lines, plus the account's type and
-- what it makes of the line (`posting`).
with lines as (
    select * from intermediate.int_sales_lines__posted where posting <> 'revenue'
),

final as (
    select * from lines
)

select * from final
