-- grain: one row per load of one entity from one source (file, demo, sync)
create table if not exists raw.load_log (
    loaded_at  timestamp not null,
    source     varchar   not null,
    realm_id   varchar   not null,
    entity     varchar   not null,
    received   integer   not null,
    inserted   integer   not null,
    updated    integer   not null,
    unchanged  integer   not null
);
