-- grain: one row per realm, month and cost account: QuickBooks' own ProfitAndLoss Cost of Goods Sold,
-- Expenses and Other Expenses, as fetched after a sync, to tie the cost lines out against (issue 26)
create table if not exists raw.qbo_profit_and_loss_costs (
    realm_id    varchar       not null,
    month       date          not null,
    account_id  varchar       not null,
    account     varchar,
    section     varchar       not null,  -- QuickBooks' group: COGS, Expenses or OtherExpenses
    amount      decimal(18, 2) not null,
    fetched_at  timestamp     not null,
    primary key (realm_id, month, account_id)
);
