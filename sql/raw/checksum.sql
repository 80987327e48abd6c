-- A checksum of raw.{table}'s content: every stored version, in key order. The load time is left
-- out: it records when a version arrived, not what QuickBooks says.
select coalesce(md5(string_agg(
    md5(concat_ws('|', realm_id, id, last_updated, sync_token, deleted, payload)), ''
    order by realm_id, id
)), '') as checksum
from raw.{table}
