-- grain: one row per realm, month and income account: QuickBooks' own ProfitAndLoss income, as fetched after a
-- sync, to tie our revenue lines out against: raw.qbo_profit_and_loss on an accrual basis, and
-- raw.qbo_cash_profit_and_loss on a cash basis (accounting_method=Cash, fetched when the owner reports on one)
create table if not exists raw.{table} (
    realm_id    varchar       not null,
    month       date          not null,
    account_id  varchar       not null,
    account     varchar,
    amount      decimal(18, 2) not null,
    fetched_at  timestamp     not null,
    primary key (realm_id, month, account_id)
);
