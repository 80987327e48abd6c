-- Sales documents that appear more than once (zero rows pass).
select realm_id, document_type, document_id, count(*) as copies
from marts.fct_sales_documents
group by all
having count(*) > 1
