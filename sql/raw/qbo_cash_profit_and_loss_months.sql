-- grain: one row per realm and month whose cash-basis ProfitAndLoss a sync fetched, so a month in which
-- QuickBooks books no cash income at all is still compared with ours
create table if not exists raw.qbo_cash_profit_and_loss_months (
    realm_id    varchar   not null,
    month       date      not null,
    fetched_at  timestamp not null,
    primary key (realm_id, month)
);
