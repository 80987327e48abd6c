-- Report policies: per client, the playbook's payment rules broken over the 12 full months before $as_of's month
-- (docs/METRICS.md, policies): for each rule the count of breaches (documents; agreement months; the 1sts a
-- finance charge was due on) and, in the column beside it ending in _amount, the money at stake. Finance
-- charges: what was due at the rate and what was invoiced, side by side. A rule switched off is null. Jobs count
-- for their client; $client keeps one. Most money at stake first.
-- Parameters: $as_of, $realm, $client and the rules' (policy_breaches').
with found as (
    select *
    from policy_breaches(
        $as_of::date, $realm, $client, $hardware_on, $agreement_on, $check_months, $check_methods::varchar[],
        $hourly_terms_on, $net_days, $hourly_paid_on, $finance_on, $rate_percent)
),

breaches as (  -- each breach once, with its money
    select realm_id, client_id, policy, breach, sum(amount) as amount
    from found
    group by all
),

clients as (
    select
        realm_id, client_id,
        count(*) filter (where policy = 'hardware_unpaid_at_invoice') as hardware_unpaid_at_invoice,
        coalesce(sum(amount) filter (where policy = 'hardware_unpaid_at_invoice'), 0) as hardware_unpaid_at_invoice_amount,
        count(*) filter (where policy = 'agreement_paid_late') as agreement_paid_late,
        coalesce(sum(amount) filter (where policy = 'agreement_paid_late'), 0) as agreement_paid_late_amount,
        count(*) filter (where policy = 'hourly_terms_not_net20') as hourly_terms_not_net20,
        coalesce(sum(amount) filter (where policy = 'hourly_terms_not_net20'), 0) as hourly_terms_not_net20_amount,
        count(*) filter (where policy = 'hourly_paid_late') as hourly_paid_late,
        coalesce(sum(amount) filter (where policy = 'hourly_paid_late'), 0) as hourly_paid_late_amount,
        count(*) filter (where policy = 'finance_charges_due') as finance_charges_due,
        coalesce(sum(amount) filter (where policy = 'finance_charges_due'), 0) as finance_charges_due_amount,
        count(*) filter (where policy = 'finance_charges_invoiced') as finance_charges_invoiced,
        coalesce(sum(amount) filter (where policy = 'finance_charges_invoiced'), 0) as finance_charges_invoiced_amount
    from breaches
    group by all
),

names as (
    select realm_id, client_id, any_value(client) as client from marts.dim_customers group by all
)

select
    clients.client_id,
    names.client,
    case when $hardware_on then hardware_unpaid_at_invoice end as hardware_unpaid_at_invoice,
    case when $hardware_on then hardware_unpaid_at_invoice_amount end::decimal(18, 2)
        as hardware_unpaid_at_invoice_amount,
    case when $agreement_on then agreement_paid_late end as agreement_paid_late,
    case when $agreement_on then agreement_paid_late_amount end::decimal(18, 2) as agreement_paid_late_amount,
    case when $hourly_terms_on then hourly_terms_not_net20 end as hourly_terms_not_net20,
    case when $hourly_terms_on then hourly_terms_not_net20_amount end::decimal(18, 2)
        as hourly_terms_not_net20_amount,
    case when $hourly_paid_on then hourly_paid_late end as hourly_paid_late,
    case when $hourly_paid_on then hourly_paid_late_amount end::decimal(18, 2) as hourly_paid_late_amount,
    case when $finance_on then finance_charges_due end as finance_charges_due,
    case when $finance_on then finance_charges_due_amount end::decimal(18, 2) as finance_charges_due_amount,
    case when $finance_on then finance_charges_invoiced end as finance_charges_invoiced,
    case when $finance_on then finance_charges_invoiced_amount end::decimal(18, 2)
        as finance_charges_invoiced_amount,
    clients.realm_id
from clients
left join names on names.realm_id = clients.realm_id and names.client_id = clients.client_id
order by
    coalesce(hardware_unpaid_at_invoice_amount, 0) + coalesce(agreement_paid_late_amount, 0)
        + coalesce(hourly_paid_late_amount, 0) + coalesce(hourly_terms_not_net20_amount, 0)
        + greatest(coalesce(finance_charges_due_amount, 0) - coalesce(finance_charges_invoiced_amount, 0), 0) desc,
    client, client_id
