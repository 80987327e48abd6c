-- The Classification QuickBooks gives an account of this AccountType (Intuit's Account entity
-- reference: Asset, Liability, Equity, Revenue, Expense), for records that lack it. AccountType is
-- compared without spaces or case, so "Other Current Liability" and "OtherCurrentLiability" both count.
create or replace temp macro account_classification(account_type) as
case lower(replace(account_type, ' ', ''))
    when 'bank' then 'Asset'
    when 'accountsreceivable' then 'Asset'
    when 'othercurrentasset' then 'Asset'
    when 'fixedasset' then 'Asset'
    when 'otherasset' then 'Asset'
    when 'accountspayable' then 'Liability'
    when 'creditcard' then 'Liability'
    when 'othercurrentliability' then 'Liability'
    when 'longtermliability' then 'Liability'
    when 'equity' then 'Equity'
    when 'income' then 'Revenue'
    when 'otherincome' then 'Revenue'
    when 'expense' then 'Expense'
    when 'otherexpense' then 'Expense'
    when 'costofgoodssold' then 'Expense'
end;
