-- Campaigns, stories and the story event log that feeds the search index.

CREATE TABLE campaigns (
    id           TEXT PRIMARY KEY NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    definition   JSONB NOT NULL,              -- CampaignDef, retired signifiers included
    form_version BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
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
    answers        JSONB NOT NULL DEFAULT '{}',  -- {signifier_id: value}
    receipt_hash   TEXT UNIQUE,                  -- SHA-256 of the receipt code; never the code
    submission_key TEXT UNIQUE,                  -- one-time token of the preview page, hashed
    source         TEXT NOT NULL CHECK (source IN ('form', 'api', 'import', 'demo')),
    form_version   BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT stories_external_id_key UNIQUE (campaign_id, external_id)
);

CREATE INDEX stories_campaign_created ON stories (campaign_id, created_at, id);

-- Every change to a story appends here; seq is the order the index applies them in.
-- Writers take an advisory lock before appending (see store/postgres.rs) so that seq order is
-- commit order and a follower reading "seq > last" can never skip a late commit.
CREATE TABLE story_events (
    seq         BIGSERIAL PRIMARY KEY,
    story_id    TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX story_events_story ON story_events (story_id);
