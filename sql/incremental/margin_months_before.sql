-- grain: one row per realm, client and month of a line of the documents changed (temp.main.documents) in the copy's
-- fct_margin_sales_lines: taken once `documents` is found, before those lines are made again; read by
-- client_months.sql (the sums those lines counted in before).
create temp table margin_months_before as
select distinct realm_id, client_id, month from {out}.marts.fct_margin_sales_lines
semi join temp.main.documents using (realm_id, document_type, document_id);
