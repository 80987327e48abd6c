-- A valid version of a held-back record, at least as new, takes its place: the records of the
-- batch of entity $entity (`batch_newest`: the newest version of each, whose time is the latest of the batch's)
-- release their held-back versions from raw.quarantine.
delete from raw.quarantine
using batch_newest as batch
where raw.quarantine.entity = $entity
  and raw.quarantine.realm_id = batch.realm_id
  and raw.quarantine.id = batch.id
  and (raw.quarantine.last_updated is null or raw.quarantine.last_updated <= batch.last_updated)
