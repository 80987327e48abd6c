-- grain: one row per realm and month whose ProfitAndLoss a sync fetched (raw.qbo_profit_and_loss_months on an
-- accrual basis, raw.qbo_cash_profit_and_loss_months on a cash basis), so a month in which QuickBooks books no
-- income at all is still compared with ours
create table if not exists raw.{table} (
    realm_id    varchar   not null,
    month       date      not null,
    fetched_at  timestamp not null,
    primary key (realm_id, month)
);
