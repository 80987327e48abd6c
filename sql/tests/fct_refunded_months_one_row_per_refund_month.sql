-- Refund receipts or credit memos with more than one row for the same month given back (zero rows pass).
select realm_id, document_type, document_id, earn_date, count(*) as copies
from marts.fct_refunded_months
group by all
having count(*) > 1
