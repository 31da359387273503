-- Sense-making sessions built on frozen maps (`sense_sessions`: `sessions` holds logins): the session (its plan, groups and facilitators
-- as JSON), the maps it shows, the chosen patterns, the story cards (numbered per session; the
-- story id never reaches a card), notes with their links and clusters, and join codes for
-- participants without an account. No foreign key to stories: a withdrawn story must leave its
-- card row behind so that notes linked to it can say "verhaal ingetrokken" (checked at show time).
CREATE TABLE sense_sessions (
    id                  TEXT PRIMARY KEY NOT NULL,
    campaign_id         TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title               TEXT NOT NULL,
    held_on             TEXT NOT NULL,            -- YYYY-MM-DD
    place               TEXT NOT NULL,
    groups              JSONB NOT NULL,            -- JSON list of group names
    facilitators        JSONB NOT NULL,            -- JSON list of user ids
    plan                JSONB NOT NULL,            -- JSON list of activities in order
    created_by          TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    report_published_at TIMESTAMPTZ
);
CREATE INDEX sense_sessions_campaign ON sense_sessions (campaign_id, held_on);

CREATE TABLE session_maps (
    session_id TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    map_id     TEXT NOT NULL REFERENCES frozen_maps (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    PRIMARY KEY (session_id, map_id)
);

CREATE TABLE session_patterns (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    map_id     TEXT NOT NULL REFERENCES frozen_maps (id) ON DELETE CASCADE,
    element    TEXT NOT NULL,                    -- cell:{theme}:{group index} or chart:{id}
    position   BIGINT NOT NULL
);
CREATE UNIQUE INDEX session_patterns_element ON session_patterns (session_id, map_id, element);

CREATE TABLE session_cards (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    number     BIGINT NOT NULL,
    story_id   TEXT NOT NULL
);
CREATE UNIQUE INDEX session_cards_number ON session_cards (session_id, number);
CREATE UNIQUE INDEX session_cards_story ON session_cards (session_id, story_id);

CREATE TABLE note_clusters (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX note_clusters_session ON note_clusters (session_id);

CREATE TABLE notes (
    id               TEXT PRIMARY KEY NOT NULL,
    session_id       TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,              -- observation, interpretation, question, idea
    strength         TEXT,                       -- weak, medium, strong (observations)
    body             TEXT NOT NULL,
    observation_id   TEXT REFERENCES notes (id) ON DELETE SET NULL,
    cluster_id       TEXT REFERENCES note_clusters (id) ON DELETE SET NULL,
    by_participant   BIGINT NOT NULL,            -- 1 when added through a join code
    approved_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX notes_session ON notes (session_id, created_at);

CREATE TABLE note_links (
    note_id TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,                       -- element or card
    target  TEXT NOT NULL,                       -- a pattern's element key or a card id
    PRIMARY KEY (note_id, kind, target)
);

CREATE TABLE join_codes (
    code       TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sense_sessions (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX join_codes_session ON join_codes (session_id);
