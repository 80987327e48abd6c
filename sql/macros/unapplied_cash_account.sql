-- The name QuickBooks gives the Income account it creates itself for cash-basis reporting (sub-type
-- UnappliedCashPaymentIncome; docs/DECISIONS.md, "Cash-basis tie-out"). A company just connected may have it made
-- by the sync's own cash-basis ProfitAndLoss request, after its accounts were read: until the next sync reads the
-- record, the tie-out finds the account by this name in the report and names it so.
create or replace temp macro unapplied_cash_account_name() as 'Unapplied Cash Payment Income';
