-- Month-end revenue by client: client x category for the month [$first_day, $last_day] (jobs rolled
-- up to their client). Parameters: $first_day, $last_day, $realm.
select customer_id, customer, labor_msa, labor_hourly, hardware, software, other, unmapped, realm_id
from client_revenue($first_day::date, date_trunc('month', $last_day::date)::date, $realm, true, null)
order by customer, customer_id
