-- grain: one row per realm, entity and Id: a record a sync received that the models cannot read
-- (its field named in `reason`), held back whole instead of stopping the sync or every later build.
-- A later valid version of the record, once stored, takes its place.
create table if not exists raw.quarantine (
    realm_id      varchar   not null,
    entity        varchar   not null,
    id            varchar   not null,
    last_updated  timestamp,
    reason        varchar   not null,
    payload       varchar   not null,
    held_at       timestamp not null,
    primary key (realm_id, entity, id)
);
