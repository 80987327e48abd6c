-- grain: one row per realm, month and income account: QuickBooks' own ProfitAndLoss income on a cash basis
-- (accounting_method=Cash), as fetched after a sync when the owner reports on a cash basis, to tie our cash
-- revenue out against (issue 27)
create table if not exists raw.qbo_cash_profit_and_loss (
    realm_id    varchar       not null,
    month       date          not null,
    account_id  varchar       not null,
    account     varchar,
    amount      decimal(18, 2) not null,
    fetched_at  timestamp     not null,
    primary key (realm_id, month, account_id)
);
