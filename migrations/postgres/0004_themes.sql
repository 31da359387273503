-- Themes (the codebook), tags with provenance and history, coding samples for agreement,
-- discovery runs, and background jobs.

CREATE TABLE themes (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT REFERENCES campaigns (id) ON DELETE CASCADE,  -- NULL: the global codebook
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    colour      TEXT NOT NULL DEFAULT '#0b5a7a',
    parent_id   TEXT REFERENCES themes (id) ON DELETE SET NULL,
    rule        TEXT,                                             -- a search query that tags matching stories
    merged_into TEXT REFERENCES themes (id),                      -- set when merged: kept for history
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX themes_campaign ON themes (campaign_id);

-- One row per story, theme and source: a rule tag and a person's decision can coexist.
CREATE TABLE tags (
    story_id    TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    theme_id    TEXT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    source      TEXT NOT NULL CHECK (source IN ('rule', 'model', 'manual')),
    state       TEXT NOT NULL CHECK (state IN ('suggested', 'accepted', 'rejected')),
    confidence  REAL,
    explanation JSONB,                                            -- JSON: words that drove a suggestion
    by_user     TEXT,                                             -- user id, NULL for rules and the model
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (story_id, theme_id, source)
);

CREATE INDEX tags_theme ON tags (theme_id, state);

CREATE TABLE tag_history (
    id         BIGSERIAL PRIMARY KEY,
    story_id   TEXT NOT NULL,
    theme_id   TEXT NOT NULL,
    source     TEXT NOT NULL,
    state      TEXT,                                              -- NULL when the tag was removed
    confidence REAL,
    by_user    TEXT,
    action     TEXT NOT NULL,                                     -- set, removed, moved
    at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX tag_history_story ON tag_history (story_id);

CREATE TABLE coding_samples (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    story_ids   JSONB NOT NULL,                                   -- JSON list
    theme_ids   JSONB NOT NULL,                                   -- JSON list
    created_by  TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Blind codings of a sample: one row per coder, story and theme decided.
CREATE TABLE sample_codings (
    sample_id TEXT NOT NULL REFERENCES coding_samples (id) ON DELETE CASCADE,
    coder_id  TEXT NOT NULL,
    story_id  TEXT NOT NULL,
    theme_id  TEXT NOT NULL,
    applied   BOOLEAN NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sample_id, coder_id, story_id, theme_id)
);

CREATE TABLE jobs (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,                                    -- discovery, retrain, retag
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress    REAL NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    params      JSONB NOT NULL DEFAULT '{}',
    result      JSONB,                                            -- JSON
    created_by  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);

CREATE INDEX jobs_campaign ON jobs (campaign_id, created_at);
