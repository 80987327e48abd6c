-- Agreement revenue (labor_msa) over [first_month, last_month] for the margin report (docs/METRICS.md,
-- margin): the client's lines in the months they pay for, as MRR, from lines dated by `dated_by`; and per client
-- and month, their sum and whether the client was `managed` (agreement revenue other than nil: its devices were
-- managed, its unbilled work was the agreement's), with the tools a managed month cost at its device counts
-- (client_device_counts: a typed override, else the latest device export's by dated_by, else the typed ones of the table `devices`
-- names: realm_id, customer_id, servers, desktops) x tool_server and tool_desktop.
-- What client_margin_lines lists and client_margin_months sums alike.
create or replace temp macro client_agreement_revenue(first_month, last_month, dated_by, only_realm, only_client)
as table
select * from marts.fct_mrr_lines
where in_margin_window(month, realm_id, client_id, first_month, last_month, only_realm, only_client)
  and txn_date <= dated_by;

create or replace temp macro client_agreement_months(first_month, last_month, dated_by, only_realm, only_client,
                                                     tool_server, tool_desktop, devices)
as table
with agreement as (
    select realm_id, client_id, month, sum(amount) as agreement_revenue
    from client_agreement_revenue(first_month, last_month, dated_by, only_realm, only_client)
    group by all
)

select
    agreement.*, agreement_revenue <> 0 as managed, servers, desktops, counted_from, counted_by,
    case when agreement_revenue <> 0 then (servers * tool_server + desktops * tool_desktop)::decimal(18, 2) end
        as tool_cost
from agreement
left join client_device_counts(dated_by, devices) as typed
    on typed.realm_id = agreement.realm_id and typed.customer_id = agreement.client_id;
