-- The owner's alert of a late agreement client (docs/METRICS.md, payment behaviour): each client with agreement
-- money (labor_msa lines) dated in the 12 months to $as_of that has an invoice (or a debt entered to A/R) open
-- more than $late_days days past its due date on $as_of; with its oldest such document (what the alert is told
-- once for), how late it is, and all the client owes past due.
-- Parameters: $as_of, $realm, $late_days.
with agreement_clients as (
    select distinct realm_id, client_id
    from marts.fct_revenue_lines
    where category = 'labor_msa' and amount > 0 and client_id is not null
      and txn_date between ($as_of::date - interval 12 month)::date and $as_of::date
      and ($realm is null or realm_id = $realm)
),

overdue as (
    select open.*
    from open_invoices($as_of::date, $realm) as open
    semi join agreement_clients using (realm_id, client_id)
    where open.open_balance > 0 and open.days_past_due > 0
)

select
    realm_id, client_id, any_value(client) as client,
    arg_max(document_id, (days_past_due, document_id)) filter (where days_past_due > $late_days) as document_id,
    arg_max(coalesce(doc_number, document_id), (days_past_due, document_id)) filter (where days_past_due > $late_days)
        as doc_number,
    arg_max(due_date, (days_past_due, document_id)) filter (where days_past_due > $late_days) as due_date,
    max(days_past_due) as days_late,
    sum(open_balance)::decimal(18, 2) as overdue_amount
from overdue
group by realm_id, client_id
having max(days_past_due) > $late_days
order by days_late desc, client, client_id
