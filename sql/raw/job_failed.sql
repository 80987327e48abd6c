-- a claimed job's attempt failed: tried again from $retry_at, or given up (failed) when $retry_at is null
update raw.job_runs
set status = case when $retry_at is null then 'failed' else 'pending' end, finished_at = $now,
    next_attempt_at = $retry_at, last_error = $error
where job = $job and period = $period;
