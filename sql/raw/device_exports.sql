-- grain: one row per device of one RMM device export, kept by the company (realm) and the date it is as of: a
-- later export of the same date replaces it, an export of another date is history beside it
create table if not exists raw.device_exports (
    realm_id      varchar   not null,
    export_date   date      not null,  -- the date the export is as of (load-devices --as-of, default the day loaded)
    source        varchar   not null,  -- the file's name
    layout        varchar   not null,  -- NinjaOne | Datto RMM | N-able | plain
    line          integer   not null,  -- the device's line in the file
    organisation  varchar   not null,  -- as the tool names it (NinjaOne organization, Datto site, N-able customer)
    device        varchar   not null,
    device_type   varchar   not null,  -- as the tool says it
    kind          varchar   not null,  -- server | desktop | other
    last_seen     timestamp,
    billable      boolean   not null,  -- false: Datto's _NotBillable_ group or site
    loaded_at     timestamp not null,
    primary key (realm_id, export_date, line)
);
