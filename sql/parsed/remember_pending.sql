-- The records parsed again by this build, kept until a snapshot built with them is published.
insert into parsed.pending
select entity, realm_id, id from changed_records.main.records;
