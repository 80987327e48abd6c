-- Hourly labor lines missing from the scoped lines, or there more than once (zero rows pass).
select realm_id, document_type, document_id, line_index, child_index, count(scoped.realm_id) as copies
from marts.fct_revenue_lines as lines
left join marts.fct_labor_scopes as scoped using (realm_id, document_type, document_id, line_index, child_index)
where lines.category = 'labor_hourly'
group by all
having count(scoped.realm_id) <> 1
