-- grain: one row per revenue line of a live, unvoided sales document: a line whose account is an
-- Income account (int_sales_lines__posted has the columns and the rule); amounts signed (credit memos
-- and refund receipts negative), net of the line's share of discounts, tax excluded, home currency
with lines as (
    select * from intermediate.int_sales_lines__posted where posting = 'revenue'
),

final as (
    select * exclude (income_account_type, posting) from lines
)

select * from final
