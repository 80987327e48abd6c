-- Report lines (--kind scenario:COLUMN --scenario NAME): the parts of the forecast the what-if scenario moves in
-- $month (scenario_parts), each with the change it makes (amount = scenario_amount - base_amount): mrr (template
-- lines, invoices billed ahead, clients carried, signed clients' fees), hourly (clients' hourly run-rates) or cash
-- (all of them and setup fees). They add up to the month's mrr_change, hourly_change or cash_change.
-- Parameters: $as_of, $months, $month, $column, $client, $realm, $raise_tiers, $raise_hourly, $raise_from; the
-- relation scenario_clients.
select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern,
    what_if || ': ' || detail || ' (' || base_amount || ' before, ' || scenario_amount || ' after)' as detail,
    change as amount, null::varchar as currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id, base_amount, scenario_amount
from scenario_parts($as_of, $months, $realm, $raise_tiers, $raise_hourly, $raise_from, 'scenario_clients')
where month = $month and change <> 0
  and ($column = 'cash' or figure = $column) and ($client is null or client_id = $client)
order by client, figure, source desc, txn_date, document_type, document_id, item
