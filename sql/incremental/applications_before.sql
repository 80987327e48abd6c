-- grain: one row per document a payment parsed again since the published snapshot was built was applied to, as
-- that snapshot has it (a payment re-applied elsewhere, or deleted, changes what it paid before). Taken from the
-- copy ({out}) before int_payment_applications is made again into it; read by paid_documents.sql.
create temp table applications_before as
select distinct realm_id, applied_to_type as document_type, applied_to_id as document_id
from {out}.intermediate.int_payment_applications
where (realm_id, payment_id) in (select (realm_id, id) from {work}.parsed.pending where entity = 'Payment');
