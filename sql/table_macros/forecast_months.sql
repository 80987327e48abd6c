-- The months a forecast covers: the `months` months after as_of's month (its first days), `ahead` 1 for the
-- first. The as-of month itself is history (report mrr), not forecast.
create or replace temp macro forecast_months(as_of, months) as table
select step as ahead, (date_trunc('month', as_of::date) + to_months(step))::date as month
from range(1, months + 1) as steps(step);
