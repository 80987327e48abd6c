-- grain: one row per raw record stored, replaced or removed since a build last parsed the records (a record stored
-- twice before a build may have two): what the next build parses again (models/warehouse/parsed.py). The writer
-- adds them in the transaction that writes the records (ingest/writer.py), and the build empties the table in the one
-- that parses them, so a crash between a load and its build loses none.
create table if not exists raw.unparsed (
    entity    varchar not null,  -- QuickBooks' entity name (Invoice, Customer, ...)
    realm_id  varchar not null,
    id        varchar not null
);
