-- Revenue lines whose category is not one the product knows (zero rows pass). A missing category
-- is named apart: `not in` is never true for null.
select realm_id, document_type, document_id, line_index, category
from marts.fct_revenue_lines
where category is null
   or category not in ('hardware', 'software', 'labor_hourly', 'labor_msa', 'other', 'unmapped')
