-- Report mrr: per client and month up to the as-of month, MRR and its movement (see mrr_movements).
-- Rows where the client had MRR this month or the month before. Parameters: $as_of, $realm.
select month, client_id as customer_id, client as customer, mrr, movement, delta, realm_id
from mrr_movements($as_of, $realm)
where mrr <> 0 or previous_mrr <> 0
order by month, customer, customer_id
