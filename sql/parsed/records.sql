-- grain: one row per raw record the kept staging models hold parsed, with the version of it they parsed (a new
-- version is stored with its own loaded_at, so a record whose columns here differ from raw's has changed).
create table parsed.records (
    entity        varchar   not null,  -- QuickBooks' entity name (Invoice, Customer, ...)
    realm_id      varchar   not null,
    id            varchar   not null,
    last_updated  timestamp not null,
    sync_token    integer   not null,
    deleted       boolean   not null,
    loaded_at     timestamp not null
);
