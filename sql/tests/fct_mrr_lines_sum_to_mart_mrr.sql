-- The agreement lines behind each client's MRR in a month add up to it (the MRR drill-down shows them)
with lines as (
    select realm_id, client_id, month, sum(amount) as amount
    from marts.fct_mrr_lines
    group by all
)

select *
from marts.mart_mrr
full join lines using (realm_id, client_id, month)
where coalesce(mart_mrr.mrr, 0) <> coalesce(lines.amount, 0)
