-- The QuickBooks companies in the warehouse with their names, for the company picker and printouts.
select realm_id, company_name
from marts.dim_companies
order by company_name, realm_id
