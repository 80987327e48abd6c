-- grain: one row per realm, client and month of a time or cost line of the documents changed (temp.main.documents) in
-- the copy's fct_margin_time_and_cost_lines: taken once `documents` is found, before those lines are made again; read
-- by cost_months.sql (the sums those lines counted in before).
create temp table cost_months_before as
select distinct realm_id, client_id, month from {out}.marts.fct_margin_time_and_cost_lines
semi join temp.main.documents using (realm_id, document_type, document_id);
