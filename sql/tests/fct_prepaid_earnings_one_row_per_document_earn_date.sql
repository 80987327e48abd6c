-- Documents with more than one row for the same earn date (the money paid towards it would be
-- allocated twice) (zero rows pass).
select realm_id, document_type, document_id, earn_date, count(*) as copies
from marts.fct_prepaid_earnings
group by all
having count(*) > 1
