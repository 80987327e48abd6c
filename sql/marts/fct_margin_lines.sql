-- grain: one row per line that counts in a client's margin whatever the owner's settings (docs/METRICS.md,
-- margin), by `source`: `revenue` and `purchase_cost`, the sales lines (fct_margin_sales_lines); `time` and `cost`,
-- the time activities and cost lines (fct_margin_time_and_cost_lines). Jobs count for their client. Which part of
-- a client's month a line counts in depends on the report's 12 months and the settings: client_margin_lines
-- decides it. A view (sql/build/views.toml): the two parts are keyed differently, so a day's invoices make only
-- their documents' sales lines again and leave the time and cost lines as they are, and nothing is written twice.
with sales_lines as (
    select * from marts.fct_margin_sales_lines
),

time_and_cost_lines as (
    select * from marts.fct_margin_time_and_cost_lines
),

final as (
    select * from sales_lines
    union all
    select * from time_and_cost_lines
)

select * from final
