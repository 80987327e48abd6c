-- Report at-risk: per client and reason, what puts its agreement revenue or its money at risk (retention_risks;
-- docs/METRICS.md, at-risk): a paused agreement template, one ending within the $months months of the forecast, MRR
-- cut in the 3 full months and still below, or paying later and later (weighted days to pay at least $slower_days
-- more than the year before, and past the due dates; any client). `amount` is what its lines add up to (report lines
-- --kind at-risk:REASON --client ID): the template's agreement money per occurrence, the cut still standing
-- (negative), or the invoices paid in the 12 full months; `mrr` the
-- client's MRR of the last full month, what it pays a month now. Reasons in the order the list is read, the
-- biggest MRR first. Parameters: $as_of, $months, $realm, $slower_days, $reasons (AT_RISK_REASONS' order).
with parts as (
    select * from retention_risks($as_of, $months, $realm, $slower_days)
)

select
    reason,
    client_id,
    any_value(client) as client,
    string_agg(distinct why, '; ' order by why) as why,
    sum(amount)::decimal(18, 2) as amount,
    any_value(mrr) as mrr,
    min(ends_on) as ends_on,
    any_value(days_to_pay) as days_to_pay,
    any_value(previous_days_to_pay) as previous_days_to_pay,
    realm_id
from parts
group by realm_id, client_id, reason
order by list_position($reasons::varchar[], reason), mrr desc, client, realm_id
