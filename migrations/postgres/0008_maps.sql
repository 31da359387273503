-- Frozen perspective maps: a snapshot (story ids, tag states, codebook version, settings and
-- every number the page shows) that renders the same later, content-hashed (sha256), and
-- published to the steering group when `published_at` is set.
CREATE TABLE frozen_maps (
    id           TEXT PRIMARY KEY NOT NULL,
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    snapshot     JSONB NOT NULL,
    content_hash TEXT NOT NULL,                -- sha256 of the snapshot JSON, hex
    created_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);

CREATE INDEX frozen_maps_campaign ON frozen_maps (campaign_id, created_at);
