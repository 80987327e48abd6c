-- grain: one row per realm, client and month whose sums of sales lines (mart_client_margin_sales_months) a build from
-- the copy makes again: the months of the lines of the documents changed (temp.main.documents) as they are now
-- (fct_margin_sales_lines, made again before this is found) and as the copy had them (temp.main.margin_months_before,
-- taken before they were made again: an invoice moved to another month or client leaves the old one's sum). No
-- other line changed (fct_margin_sales_lines is made again for `documents`), so no other sum did.
insert into temp.main.client_months
select realm_id, client_id, month from marts.fct_margin_sales_lines
semi join temp.main.documents using (realm_id, document_type, document_id)
union
select realm_id, client_id, month from temp.main.margin_months_before;
