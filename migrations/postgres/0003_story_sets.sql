-- Saved story sets: a named, dated search (and, on request, the frozen list of its story ids)
-- that perspective maps and sessions take as input.
CREATE TABLE story_sets (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,                 -- the search, as URL query parameters
    campaign_id TEXT REFERENCES campaigns (id) ON DELETE CASCADE,  -- when the search was for one campaign
    story_ids   JSONB,                         -- list when frozen, NULL when live
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX story_sets_campaign ON story_sets (campaign_id);
