-- Report lines (--kind cash:COLUMN): what report forecast --cash sums in a column over the days $first_day to
-- $last_day (a week or month of it; default the first week), each part on the day it is expected
-- (cash_forecast_parts): a template's billing, an open invoice, a client's hourly run-rate, prepaid money becoming
-- revenue. cash_in is all but the last. Parameters: $as_of, $first_day, $last_day, $column, $client, $realm,
-- $net_days.
select
    day as txn_date, document_type, doc_number, client, customer, null::varchar as item,
    source as category, null::varchar as rule, null::varchar as rule_pattern,
    detail || case when txn_date is not null and txn_date <> day
                   then ' (dated ' || strftime(txn_date, '%d %b %Y') || ')' else '' end as detail,
    amount, null::varchar as currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from cash_forecast_parts($as_of, $last_day, $realm, $net_days)
where day between $first_day and $last_day
  and (source = $column or ($column = 'cash_in' and source <> 'becomes_revenue'))
  and ($client is null or client_id = $client)
order by day, client, document_type, document_id
