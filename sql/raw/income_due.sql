-- grain: one row per realm, basis and month whose QuickBooks ProfitAndLoss a sync owes the tie-out: noted in the
-- transaction that stores a sync's last records and moves its cursor (ingest/qbo/run.py), forgotten in the one that
-- stores that month's income (ingest/qbo/tieout.py). A sync killed, or refused its ProfitAndLoss, between the two
-- leaves its months here for the next sync to ask for: its cursor has moved, so nothing else would.
create table if not exists raw.income_due (
    realm_id  varchar not null,
    basis     varchar not null,  -- accrual or cash
    month     date    not null,  -- first day
    primary key (realm_id, basis, month)
);
