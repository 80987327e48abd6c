-- Report lines (--kind at-risk:REASON): the lines behind a client's row of report at-risk (retention_risks): the
-- agreement lines of a paused or ending template, the MRR lines of a cut still standing (MRR now's, less those of the
-- month before the cut), or the invoices paid in the 12 full months with the days each took. They add up to the row's amount.
-- Parameters: $as_of, $months, $reason, $client, $realm, $slower_days.
select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern, detail,
    amount, null::varchar as currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from retention_risks($as_of, $months, $realm, $slower_days)
where reason = $reason and ($client is null or client_id = $client)
order by client, txn_date, document_type, document_id, detail
