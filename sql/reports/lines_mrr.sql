-- Report lines (--kind mrr): the agreement lines dated by $as_of behind the MRR of $month (one client's
-- with $client): each line's share of that service month (a line spread over several months,
-- [agreement_months], counts its part; a refund of such an item, the months it takes back).
-- Parameters: $as_of, $month, $client, $realm.
select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern,
    case when months > 1 then strftime(month, '%b %Y') || ', month ' || (date_diff('month', first_month, month) + 1)
                              || ' of ' || months
         else 'service ' || strftime(month, '%b %Y') end as detail,
    amount, currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from marts.fct_mrr_lines
where month = $month and txn_date <= $as_of and ($realm is null or realm_id = $realm) and ($client is null or client_id = $client)
order by client, txn_date, document_type, document_id, line_index, child_index
