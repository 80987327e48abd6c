-- grain: one row per raw record parsed again since the published snapshot was built: what a build after a sync
-- makes its incremental models again for (models/warehouse/incremental.py). Kept until a snapshot built with
-- them is published, so a build that fails after parsing leaves them for the next one.
create table parsed.pending (
    entity    varchar not null,  -- QuickBooks' entity name (Invoice, Customer, ...)
    realm_id  varchar not null,
    id        varchar not null
);
