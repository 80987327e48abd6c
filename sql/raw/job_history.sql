-- every job run, newest first
select job, period, status, attempts, started_at, finished_at, next_attempt_at, last_error, detail, sent_to, sent_at
from raw.job_runs
order by started_at desc, job, period;
