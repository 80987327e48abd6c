-- a claimed job finished: what it did, and to whom it was sent when it sent something
update raw.job_runs
set status = 'done', finished_at = $now, detail = $detail, sent_to = $sent_to,
    sent_at = case when $sent_to is null then null else $now end
where job = $job and period = $period;
