-- Report lines (--kind forecast:SOURCE): what the committed MRR of $month (a month after the as-of month) is made
-- of (mrr_forecast_parts): a recurring template's agreement line at a date its schedule bills (its part of that
-- month when the occurrence bills for several), an agreement line already billed for the month, or a client's MRR
-- carried forward; `committed` all three. They add up to the forecast's figure of the month.
-- Parameters: $as_of, $month, $months (how many months after the as-of month $month is), $source, $client, $realm.
select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern, detail,
    amount, null::varchar as currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from mrr_forecast_parts($as_of, $months, $realm)
where month = $month and ($source = 'committed' or source = $source) and ($client is null or client_id = $client)
order by client, source desc, txn_date, document_type, document_id, item
