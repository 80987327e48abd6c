-- claim a job for its period: a new occasion, one whose last attempt failed and whose retry time has come, or
-- one a killed run left running; returns the attempt number, and nothing when it is not this run's to do
insert into raw.job_runs (job, period, status, attempts, started_at)
values ($job, $period, 'running', 1, $now)
on conflict (job, period) do update
    set status = 'running', attempts = job_runs.attempts + 1, started_at = excluded.started_at, finished_at = null,
        next_attempt_at = null
    where job_runs.status = 'running'
       or (job_runs.status = 'pending' and job_runs.next_attempt_at <= excluded.started_at)
returning attempts;
