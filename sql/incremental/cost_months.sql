-- grain: one row per realm, client and month whose sums of time and cost lines (mart_client_margin_time_and_cost_months)
-- a build from the copy makes again: the months of the lines of the documents changed (temp.main.documents: time
-- activities and cost documents too) as they are now (fct_margin_time_and_cost_lines, made again before this is found)
-- and as the copy had them (temp.main.cost_months_before: a time activity moved to another month or client leaves
-- the old one's sum). No other line changed, so no other sum did.
insert into temp.main.cost_months
select realm_id, client_id, month from marts.fct_margin_time_and_cost_lines
semi join temp.main.documents using (realm_id, document_type, document_id)
union
select realm_id, client_id, month from temp.main.cost_months_before;
