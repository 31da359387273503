-- Work that must happen once per deployment, not once per instance.

-- At most one queued or running job per campaign, enforced here rather than in one process's
-- memory. Older duplicates (from instances that raced before this index) are marked failed.
UPDATE jobs SET status = 'failed', message = 'Dubbele taak: een andere taak voor deze campagne liep al.'
WHERE status IN ('queued', 'running') AND EXISTS (
    SELECT 1 FROM jobs j WHERE j.campaign_id = jobs.campaign_id AND j.status IN ('queued', 'running')
    AND (j.created_at > jobs.created_at OR (j.created_at = jobs.created_at AND j.id > jobs.id)));
CREATE UNIQUE INDEX jobs_one_running_per_campaign ON jobs (campaign_id) WHERE status IN ('queued', 'running');

-- How far a background follower (the rule tagger) has read the story event log, so that it
-- resumes there after a stop instead of skipping what arrived meanwhile.
CREATE TABLE follower_positions (
    name       TEXT PRIMARY KEY NOT NULL,
    seq        INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Who does a deployment-wide task (rule follower, retrain scheduler) until when; another
-- instance takes over once the holder stops renewing.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY NOT NULL,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
