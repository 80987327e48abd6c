-- grain: one row per QuickBooks record (realm, Id), the newest version seen; {table} is one
-- warehouse entity's plural snake-case name. Payload numbers are JSON strings (exact text).
create table if not exists raw.{table} (
    realm_id      varchar   not null,
    id            varchar   not null,
    last_updated  timestamp not null,  -- MetaData.LastUpdatedTime in UTC
    sync_token    integer   not null,  -- -1 for deleted stubs, which carry none
    deleted       boolean   not null,
    payload       varchar   not null,  -- the whole entity as JSON
    loaded_at     timestamp not null,  -- when this version was stored
    primary key (realm_id, id)
);
