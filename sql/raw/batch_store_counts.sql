-- How many keys of batch_store the raw table takes anew (inserted) and how many replace a stored version (updated).
select count(*) filter (where not replaces), count(*) filter (where replaces)
from batch_store
