-- Report lines (--kind margin:overhead): the cost lines that name no customer over the 12 full months before
-- $as_of's month (or, with $month, that month's): what margin --overhead sums. Parameters: $as_of, $month,
-- $realm.
select
    txn_date, document_type, doc_number, null::varchar as client, null::varchar as customer, null::varchar as item,
    'overhead' as category, null::varchar as rule, null::varchar as rule_pattern,
    concat_ws(': ', payee_name, coalesce(account, 'an account not loaded'), description) as detail,
    amount, null::varchar as currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, null::varchar as client_id
from marts.fct_cost_lines
where client_id is null and month between first_full_month($as_of) and last_full_month($as_of)
  and ($month is null or month = $month) and ($realm is null or realm_id = $realm)
order by txn_date, document_type, document_id, line_index
