-- Sales lines outside revenue that appear more than once (zero rows pass).
select realm_id, document_type, document_id, line_index, child_index, count(*) as copies
from marts.fct_other_sales_lines
group by all
having count(*) > 1
