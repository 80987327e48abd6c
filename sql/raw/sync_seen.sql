-- grain: one row per record id a full sync has seen so far, per realm and entity: after the last page,
-- stored records it did not see were deleted in QuickBooks (deletes are not otherwise reported after 30 days)
create table if not exists raw.sync_seen (
    realm_id  varchar not null,
    entity    varchar not null,
    id        varchar not null
);
