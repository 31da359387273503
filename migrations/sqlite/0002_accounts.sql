-- Accounts, sessions, the audit log, and safeguarding follow-ups.

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,          -- lower case
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'facilitator', 'steering')),
    password_hash TEXT NOT NULL,                 -- argon2id PHC string
    disabled      BOOLEAN NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE campaign_members (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, user_id)
);

CREATE INDEX campaign_members_user ON campaign_members (user_id);

-- Server-side sessions. The cookie holds a random id; only its SHA-256 is stored, so a copy of
-- the database cannot be used to take over a session.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT,
    campaign_id TEXT,
    details     TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at ON audit_log (at);

-- Danger signals found in a story (JSON list), NULL when none.
ALTER TABLE stories ADD COLUMN safeguarding TEXT;
CREATE INDEX stories_safeguarding ON stories (campaign_id) WHERE safeguarding IS NOT NULL;

CREATE TABLE safeguarding_followups (
    id          TEXT PRIMARY KEY NOT NULL,
    story_id    TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    campaign_id TEXT NOT NULL,
    user_id     TEXT,
    user_email  TEXT NOT NULL,
    action      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);

CREATE INDEX safeguarding_followups_story ON safeguarding_followups (story_id);
