-- grain: one row per client, month and source of fct_margin_lines, its revenue category and whether its time
-- was billed; per item for what is bought or sold as an item (which margin part a cost counts in, and whether a
-- purchase cost counts, depends on the items of the report's 12 months); and, for time QuickBooks gives no
-- cost rate, per worker and minutes of an activity (costed at the owner's rate for the worker, each activity to
-- the cent: `lines` times one activity's cost). What the margin report sums instead of every line. A view
-- (sql/build/views.toml) of the sums of the two parts of the lines: no group holds lines of both (their sources
-- differ), so a day's invoices leave the time and cost lines' sums as they are.
with sales as (
    select * from marts.mart_client_margin_sales_months
),

time_and_cost as (
    select * from marts.mart_client_margin_time_and_cost_months
),

final as (
    select * from sales
    union all
    select * from time_and_cost
)

select * from final
