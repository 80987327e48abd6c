-- The revenue lines on a basis: 'accrual' (fct_revenue_lines: a line is revenue on its document's date) or
-- 'cash' (fct_cash_revenue_lines: an invoice's lines when paid, their shares of each payment; every other
-- line on its date). Every revenue figure with a basis reads this, so a figure and its drill-down are on the
-- same basis. The payment columns are null on an accrual basis. (Named apart from the columns it filters.)
create or replace temp macro revenue_lines(on_basis) as table
select * from marts.fct_revenue_lines where on_basis = 'accrual'
union all by name
select * from marts.fct_cash_revenue_lines where on_basis = 'cash';
