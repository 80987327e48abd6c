-- grain: one cursor per realm and entity (or sync-wide key), moved in the same transaction as its data
create table if not exists raw.sync_state (
    realm_id    varchar   not null,
    entity      varchar   not null,
    cursor      varchar,
    updated_at  timestamp not null,
    primary key (realm_id, entity)
);
