-- Report forecast: MRR of each of the $months months after the as-of month, committed and expected (mrr_forecast).
-- Parameters: $as_of, $months, $realm.
select * from mrr_forecast($as_of, $months, $realm)
