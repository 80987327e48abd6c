-- Revenue lines that appear more than once (a join that fans out doubles money) (zero rows pass).
select realm_id, document_type, document_id, line_index, child_index, count(*) as copies
from marts.fct_revenue_lines
group by all
having count(*) > 1
