-- A running job's instance writes this at least every few seconds. Several instances share the
-- jobs table, and a job is known to be interrupted only when its heartbeat has stopped (not
-- merely because another instance started).
ALTER TABLE jobs ADD COLUMN heartbeat_at TIMESTAMPTZ;
