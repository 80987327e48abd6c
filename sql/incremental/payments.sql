-- grain: one row per payment whose row fct_payments makes again: the payments parsed again since the published
-- snapshot was built ({work}.parsed.pending: new, changed or gone). A payment's row is of its own record alone.
insert into temp.main.payments
select realm_id, id from {work}.parsed.pending where entity = 'Payment';
