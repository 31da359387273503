-- Campaigns, stories and the story event log that feeds the search index.
-- Timestamps are UTC, stored as sqlx encodes time::OffsetDateTime (sortable text).

CREATE TABLE campaigns (
    id           TEXT PRIMARY KEY NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    definition   TEXT NOT NULL,               -- JSON CampaignDef, retired signifiers included
    form_version INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE stories (
    id             TEXT PRIMARY KEY NOT NULL,
    campaign_id    TEXT NOT NULL REFERENCES campaigns (id),
    external_id    TEXT,
    title          TEXT,
    text           TEXT NOT NULL,
    language       TEXT NOT NULL,
    perspective    TEXT NOT NULL CHECK (perspective IN ('youth', 'parent', 'professional', 'other')),
    age_band       TEXT,
    region         TEXT,
    municipality   TEXT,
    prompt_id      TEXT,
    answers        TEXT NOT NULL DEFAULT '{}',  -- JSON {signifier_id: value}
    receipt_hash   TEXT UNIQUE,                 -- SHA-256 of the receipt code; never the code
    submission_key TEXT UNIQUE,                 -- one-time token of the preview page, hashed
    source         TEXT NOT NULL CHECK (source IN ('form', 'api', 'import', 'demo')),
    form_version   INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    CONSTRAINT stories_external_id_key UNIQUE (campaign_id, external_id)
);

CREATE INDEX stories_campaign_created ON stories (campaign_id, created_at, id);

-- Every change to a story appends here; seq is the order the index applies them in.
-- AUTOINCREMENT so a seq is never reused, even after the newest row is deleted.
CREATE TABLE story_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id    TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),
    created_at  TEXT NOT NULL
);

CREATE INDEX story_events_story ON story_events (story_id);
