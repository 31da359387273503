-- Improvement actions, the Leefwereldtoets and "you said, we did" (issue 11, part B).
-- References to sense-making sessions, notes and story cards are plain text ids with a kind
-- (no foreign key): those tables belong to another part and are wired in later.

-- Responsible parties, kept per campaign.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('municipality', 'provider', 'region', 'ministry', 'other')),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (campaign_id, name)
);

CREATE TABLE actions (
    id              TEXT PRIMARY KEY NOT NULL,
    campaign_id     TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    contact         TEXT NOT NULL,
    priority        TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    drop_reason     TEXT,
    due_on          TEXT,                      -- YYYY-MM-DD
    progress        INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    handed_over_on  TEXT,                      -- YYYY-MM-DD
    published       BOOLEAN NOT NULL,
    version         INTEGER NOT NULL,          -- one more with every change; the history's key
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX actions_campaign ON actions (campaign_id, status);

-- Every change of an action: its whole state after the change (JSON), and for a dated update
-- its text and date.
CREATE TABLE action_history (
    action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('created', 'changed', 'update')),
    at        TEXT NOT NULL,
    on_date   TEXT NOT NULL,                   -- YYYY-MM-DD, the day the update speaks of
    actor     TEXT NOT NULL,
    note      TEXT NOT NULL,
    state     TEXT NOT NULL,                   -- JSON
    PRIMARY KEY (action_id, version)
);

-- What an action came from.
CREATE TABLE action_links (
    action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('note', 'session', 'map_element', 'theme', 'story_card', 'frozen_map', 'assumption')),
    ref_id    TEXT NOT NULL,
    PRIMARY KEY (action_id, kind, ref_id)
);

-- The policy under test in a Leefwereldtoets.
CREATE TABLE campaign_policy (
    campaign_id TEXT PRIMARY KEY NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    policy      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE assumptions (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    statement   TEXT NOT NULL,
    expected    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX assumptions_campaign ON assumptions (campaign_id, ordinal);

-- A story read as evidence on an assumption; a withdrawn story takes its links with it.
CREATE TABLE assumption_links (
    assumption_id TEXT NOT NULL REFERENCES assumptions (id) ON DELETE CASCADE,
    story_id      TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    stance        TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'mixed')),
    linked_by     TEXT,
    linked_at     TEXT NOT NULL,
    PRIMARY KEY (assumption_id, story_id)
);

CREATE INDEX assumption_links_story ON assumption_links (story_id);

CREATE TABLE assumption_conclusions (
    assumption_id TEXT PRIMARY KEY NOT NULL REFERENCES assumptions (id) ON DELETE CASCADE,
    verdict       TEXT NOT NULL CHECK (verdict IN ('holds', 'holds_partly', 'does_not_hold', 'unclear')),
    reasoning     TEXT NOT NULL,
    session_id    TEXT,                        -- a sense-making session (part A), no foreign key
    recorded_by   TEXT,
    recorded_at   TEXT NOT NULL
);

-- "You said, we did": the summary on the public results page.
CREATE TABLE campaign_results (
    campaign_id  TEXT PRIMARY KEY NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    summary      TEXT NOT NULL,
    published_at TEXT,
    updated_at   TEXT NOT NULL
);

-- Quotes picked from a published frozen map's disclosed view (cells of at least k stories).
CREATE TABLE published_quotes (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    map_id      TEXT NOT NULL REFERENCES frozen_maps (id) ON DELETE CASCADE,
    theme       TEXT NOT NULL,
    group_label TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, story_id)
);
