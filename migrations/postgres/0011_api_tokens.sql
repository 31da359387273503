-- Personal API tokens for scripts. Only the SHA-256 of the secret is kept (`token_hash`), with
-- a short non-secret `prefix` so a person can tell their tokens apart. A token belongs to one
-- user and one campaign; `access` is 'read' or 'write'. Expired or revoked tokens stay listed
-- (and audited) but are refused.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    access       TEXT NOT NULL CHECK (access IN ('read', 'write')),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
