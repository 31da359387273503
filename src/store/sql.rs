//! SQL shared by both backends. Both accept `$n` parameters, `ON CONFLICT` and `RETURNING`,
//! so statements only live in the backend files where the dialects really differ.

macro_rules! story_columns {
    () => {
        "id, campaign_id, external_id, title, text, language, perspective, age_band, region, \
         municipality, prompt_id, answers, source, form_version, created_at, safeguarding"
    };
}

pub const CAMPAIGN_BY_SLUG: &str =
    "SELECT id, definition, form_version, created_at, updated_at FROM campaigns WHERE slug = $1";
pub const CAMPAIGN_BY_ID: &str =
    "SELECT id, definition, form_version, created_at, updated_at FROM campaigns WHERE id = $1";
pub const CAMPAIGNS: &str =
    "SELECT id, definition, form_version, created_at, updated_at FROM campaigns ORDER BY created_at, slug";
pub const INSERT_CAMPAIGN: &str = "INSERT INTO campaigns (id, slug, status, definition, form_version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, 1, $5, $5)";
/// Conditional on the form version the change was made to (`$5`): 0 rows means a lost race.
pub const UPDATE_CAMPAIGN: &str = "UPDATE campaigns SET status = $2, definition = $3, form_version = form_version + 1, \
     updated_at = $4 WHERE id = $1 AND form_version = $5";

pub const INSERT_STORY: &str = concat!(
    "INSERT INTO stories (",
    story_columns!(),
    ", receipt_hash, submission_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
);
pub const FIND_ID: &str = "SELECT id FROM stories WHERE campaign_id = $1 AND id = $2";
pub const FIND_EXTERNAL: &str = "SELECT id FROM stories WHERE campaign_id = $1 AND external_id = $2";
/// Re-importing a line replaces the content but keeps the story's id, receipt and created time
/// unless the line gives one.
pub const UPDATE_IMPORTED: &str = "UPDATE stories SET title = $2, text = $3, language = $4, perspective = $5, \
     age_band = $6, region = $7, municipality = $8, prompt_id = $9, answers = $10, \
     form_version = $11, created_at = $12, safeguarding = $13 WHERE id = $1";
pub const INSERT_EVENT: &str =
    "INSERT INTO story_events (story_id, campaign_id, kind, created_at) VALUES ($1, $2, $3, $4)";

pub const STORY_BY_ID: &str = concat!("SELECT ", story_columns!(), " FROM stories WHERE id = $1");
pub const STORY_BY_RECEIPT: &str =
    concat!("SELECT ", story_columns!(), " FROM stories WHERE receipt_hash = $1");
pub const DELETE_STORY: &str = "DELETE FROM stories WHERE id = $1 RETURNING campaign_id";
pub const COUNT_STORIES: &str = "SELECT COUNT(*) FROM stories WHERE campaign_id = $1";
pub const STORIES_FIRST_PAGE: &str = concat!(
    "SELECT ",
    story_columns!(),
    " FROM stories WHERE campaign_id = $1 ORDER BY created_at, id LIMIT $2"
);
pub const STORIES_PAGE_AFTER: &str = concat!(
    "SELECT ",
    story_columns!(),
    " FROM stories WHERE campaign_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3)) \
     ORDER BY created_at, id LIMIT $4"
);

pub const ALL_STORIES_FIRST: &str =
    concat!("SELECT ", story_columns!(), " FROM stories ORDER BY id LIMIT $1");
pub const ALL_STORIES_AFTER: &str =
    concat!("SELECT ", story_columns!(), " FROM stories WHERE id > $1 ORDER BY id LIMIT $2");
pub const COUNT_ALL_STORIES: &str = "SELECT COUNT(*) FROM stories";
/// Up to 100 ids at a time; unused placeholders bind NULL and match nothing.
pub const STORIES_BY_IDS: &str = concat!(
    "SELECT ",
    story_columns!(),
    " FROM stories WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
     $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, \
     $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, \
     $63, $64, $65, $66, $67, $68, $69, $70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, \
     $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96, $97, $98, $99, $100)"
);
pub const STORIES_BY_IDS_CHUNK: usize = 100;
pub const CAMPAIGNS_OF_STORIES: &str = "SELECT DISTINCT campaign_id FROM stories WHERE id IN ($1, $2, $3, $4, $5, \
     $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, \
     $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, \
     $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, $63, $64, $65, $66, $67, $68, $69, $70, $71, $72, \
     $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, \
     $95, $96, $97, $98, $99, $100)";

pub const INSERT_STORY_SET: &str = "INSERT INTO story_sets (id, name, query, campaign_id, story_ids, created_by, \
     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
pub const STORY_SET: &str = "SELECT id, name, query, campaign_id, story_ids, created_by, created_at, updated_at \
     FROM story_sets WHERE id = $1";
pub const STORY_SETS_ALL: &str = "SELECT id, name, query, campaign_id, story_ids, created_by, created_at, updated_at \
     FROM story_sets ORDER BY created_at DESC";
pub const RENAME_STORY_SET: &str = "UPDATE story_sets SET name = $2, updated_at = $3 WHERE id = $1";
pub const DELETE_STORY_SET: &str = "DELETE FROM story_sets WHERE id = $1";

macro_rules! theme_columns {
    () => {
        "id, campaign_id, name, description, colour, parent_id, rule, merged_into, created_at, updated_at"
    };
}
pub const INSERT_THEME: &str =
    concat!("INSERT INTO themes (", theme_columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
pub const UPDATE_THEME: &str = "UPDATE themes SET name = $2, description = $3, colour = $4, parent_id = $5, \
     rule = $6, merged_into = $7, updated_at = $8 WHERE id = $1";
pub const THEME: &str = concat!("SELECT ", theme_columns!(), " FROM themes WHERE id = $1");
pub const THEMES_OF: &str =
    concat!("SELECT ", theme_columns!(), " FROM themes WHERE campaign_id = $1 ORDER BY created_at, name");
pub const THEMES_GLOBAL: &str =
    concat!("SELECT ", theme_columns!(), " FROM themes WHERE campaign_id IS NULL ORDER BY created_at, name");

macro_rules! tag_columns {
    () => {
        "story_id, theme_id, source, state, confidence, explanation, by_user, at"
    };
}
pub const TAGS_OF_STORY: &str = concat!("SELECT ", tag_columns!(), " FROM tags WHERE story_id = $1");
pub const TAGS_OF_CAMPAIGN: &str = concat!(
    "SELECT ",
    tag_columns!(),
    " FROM tags WHERE story_id IN (SELECT id FROM stories WHERE campaign_id = $1)"
);
pub const TAGS_BY_STORIES: &str = concat!(
    "SELECT ",
    tag_columns!(),
    " FROM tags WHERE story_id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
     $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, \
     $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, \
     $63, $64, $65, $66, $67, $68, $69, $70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, \
     $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96, $97, $98, $99, $100)"
);
pub const TAGS_OF_THEME_SOURCE: &str =
    concat!("SELECT ", tag_columns!(), " FROM tags WHERE theme_id = $1 AND source = $2");
pub const UPSERT_TAG: &str = concat!(
    "INSERT INTO tags (",
    tag_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (story_id, theme_id, source) DO UPDATE SET \
     state = excluded.state, confidence = excluded.confidence, explanation = excluded.explanation, \
     by_user = excluded.by_user, at = excluded.at"
);
pub const DELETE_TAG: &str = "DELETE FROM tags WHERE story_id = $1 AND theme_id = $2 AND source = $3";
pub const DELETE_SUGGESTIONS: &str =
    "DELETE FROM tags WHERE theme_id = $1 AND source = 'model' AND state = 'suggested' RETURNING story_id";
pub const TAG_EXISTS: &str =
    "SELECT COUNT(*) FROM tags WHERE story_id = $1 AND theme_id = $2 AND source = $3";
pub const MOVE_TAG: &str =
    "UPDATE tags SET theme_id = $3 WHERE story_id = $1 AND theme_id = $2 AND source = $4";
pub const MARK_THEME_MERGED: &str = "UPDATE themes SET merged_into = $2, updated_at = $3 WHERE id = $1";
pub const TAGS_OF_THEME: &str = concat!("SELECT ", tag_columns!(), " FROM tags WHERE theme_id = $1");
pub const INSERT_TAG_HISTORY: &str = "INSERT INTO tag_history (story_id, theme_id, source, state, confidence, by_user, \
     action, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub const TAG_HISTORY: &str = "SELECT story_id, theme_id, source, state, confidence, by_user, action, at \
     FROM tag_history WHERE story_id = $1 ORDER BY id";
pub const LAST_MANUAL_CODING: &str = "SELECT h.at FROM tag_history h JOIN stories s ON s.id = h.story_id \
     WHERE s.campaign_id = $1 AND h.by_user IS NOT NULL ORDER BY h.id DESC LIMIT 1";
pub const STORY_CAMPAIGN: &str = "SELECT campaign_id FROM stories WHERE id = $1";

pub const INSERT_SAMPLE: &str = "INSERT INTO coding_samples (id, campaign_id, name, story_ids, theme_ids, created_by, \
     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const SAMPLE: &str = "SELECT id, campaign_id, name, story_ids, theme_ids, created_by, created_at \
     FROM coding_samples WHERE id = $1";
pub const SAMPLES: &str = "SELECT id, campaign_id, name, story_ids, theme_ids, created_by, created_at \
     FROM coding_samples WHERE campaign_id = $1 ORDER BY created_at DESC";
pub const UPSERT_CODING: &str = "INSERT INTO sample_codings (sample_id, coder_id, story_id, theme_id, applied, at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sample_id, coder_id, story_id, theme_id) DO UPDATE SET \
     applied = excluded.applied, at = excluded.at";
pub const SAMPLE_CODINGS: &str =
    "SELECT coder_id, story_id, theme_id, applied FROM sample_codings WHERE sample_id = $1";

macro_rules! job_columns {
    () => {
        "id, campaign_id, kind, status, progress, message, params, result, created_by, created_at, started_at, finished_at"
    };
}
pub const INSERT_JOB: &str = concat!(
    "INSERT INTO jobs (",
    job_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
);
pub const JOB: &str = concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = $1");
pub const JOBS: &str =
    concat!("SELECT ", job_columns!(), " FROM jobs WHERE campaign_id = $1 ORDER BY created_at DESC LIMIT $2");
pub const UPDATE_JOB: &str = "UPDATE jobs SET status = $2, progress = $3, message = $4, \
     started_at = COALESCE(started_at, $5), heartbeat_at = $5 WHERE id = $1";
pub const FINISH_JOB: &str =
    "UPDATE jobs SET status = $2, message = $3, result = $4, finished_at = $5, progress = 1 WHERE id = $1";
pub const JOB_STATUS: &str = "SELECT status FROM jobs WHERE id = $1";
/// Compare-and-swap: only if the result is still the one the change was made to (two
/// facilitators renaming threads of the same run at once must not undo each other).
pub const SAVE_JOB_RESULT: &str =
    "UPDATE jobs SET result = $2 WHERE id = $1 AND status = 'done' AND result = $3";
pub const FAIL_INTERRUPTED: &str = "UPDATE jobs SET status = 'failed', finished_at = $1, \
     message = 'De dienst is gestopt terwijl deze taak liep. Start hem opnieuw.' \
     WHERE status IN ('queued', 'running') AND COALESCE(heartbeat_at, started_at, created_at) < $2";

pub const EVENTS_AFTER: &str = "SELECT seq, story_id, campaign_id, kind, created_at FROM story_events \
     WHERE seq > $1 ORDER BY seq LIMIT $2";
pub const LAST_EVENT_SEQ: &str = "SELECT COALESCE(MAX(seq), 0) FROM story_events";

pub const STORIES_NEWEST: &str = concat!(
    "SELECT ",
    story_columns!(),
    " FROM stories WHERE campaign_id = $1 AND ($2 IS NULL OR perspective = $2) \
     AND ($3 = FALSE OR safeguarding IS NOT NULL) ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5"
);
pub const COUNT_NEWEST: &str = "SELECT COUNT(*) FROM stories WHERE campaign_id = $1 \
     AND ($2 IS NULL OR perspective = $2) AND ($3 = FALSE OR safeguarding IS NOT NULL)";
pub const COUNT_BY_PERSPECTIVE: &str = "SELECT perspective, COUNT(*) FROM stories WHERE campaign_id = $1 GROUP BY perspective ORDER BY perspective";
pub const DELETE_BEFORE: &str = "DELETE FROM stories WHERE campaign_id = $1 AND created_at < $2 RETURNING id";
pub const STORY_EVENTS: &str =
    "SELECT seq, story_id, campaign_id, kind, created_at FROM story_events WHERE story_id = $1 ORDER BY seq";

macro_rules! user_columns {
    () => {
        "id, email, name, role, disabled, created_at"
    };
}

pub const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";
pub const INSERT_USER: &str = "INSERT INTO users (id, email, name, role, password_hash, disabled, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6)";
pub const USER_BY_ID: &str = concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1");
pub const USER_BY_EMAIL: &str =
    concat!("SELECT ", user_columns!(), ", password_hash FROM users WHERE email = $1");
pub const USERS: &str = concat!("SELECT ", user_columns!(), " FROM users ORDER BY role, email");
pub const UPDATE_USER: &str = "UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role), \
     disabled = COALESCE($4, disabled), password_hash = COALESCE($5, password_hash), updated_at = $6 WHERE id = $1";
pub const MEMBERSHIPS: &str =
    "SELECT campaign_id FROM campaign_members WHERE user_id = $1 ORDER BY campaign_id";
pub const CAMPAIGN_MEMBERS: &str = "SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at FROM users u \
     JOIN campaign_members m ON m.user_id = u.id WHERE m.campaign_id = $1 ORDER BY u.email";
pub const ADD_MEMBER: &str =
    "INSERT INTO campaign_members (campaign_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
pub const REMOVE_MEMBER: &str = "DELETE FROM campaign_members WHERE campaign_id = $1 AND user_id = $2";

pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)";
pub const SESSION: &str = "SELECT s.created_at, s.last_seen_at, u.id, u.email, u.name, u.role, u.disabled, \
     u.created_at AS user_created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1";
pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";
pub const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
pub const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2";

pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor_id, actor, action, target, campaign_id, details) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const AUDIT_ENTRIES: &str = "SELECT id, at, actor_id, actor, action, target, campaign_id, details FROM audit_log \
     WHERE ($1 IS NULL OR at >= $1) AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR actor = $3) \
     AND ($4 IS NULL OR campaign_id = $4) ORDER BY id DESC LIMIT $5";

pub const INSERT_FOLLOW_UP: &str = "INSERT INTO safeguarding_followups \
     (id, story_id, campaign_id, user_id, user_email, action, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub const FOLLOW_UPS: &str = "SELECT id, story_id, campaign_id, user_id, user_email, action, note, at \
     FROM safeguarding_followups WHERE story_id = $1 ORDER BY at";
pub const FLAGGED_STORIES: &str = concat!(
    "SELECT ",
    story_columns!(),
    " FROM stories WHERE campaign_id = $1 AND safeguarding IS NOT NULL AND ($2 OR NOT EXISTS \
     (SELECT 1 FROM safeguarding_followups f WHERE f.story_id = stories.id)) ORDER BY created_at, id"
);

pub const FOLLOWER_POSITION: &str = "SELECT seq FROM follower_positions WHERE name = $1";
/// Only forwards: a slow instance that lost its lease cannot move a follower back.
pub const SET_FOLLOWER_POSITION: &str = "INSERT INTO follower_positions (name, seq, updated_at) VALUES ($1, $2, $3) \
     ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at \
     WHERE follower_positions.seq < excluded.seq";
/// Takes a free or expired lease, or renews one this holder has; 0 rows when another holds it.
pub const ACQUIRE_LEASE: &str = "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
     WHERE leases.holder = excluded.holder OR leases.expires_at < $4";
pub const RELEASE_LEASE: &str = "DELETE FROM leases WHERE name = $1 AND holder = $2";
pub const PING: &str = "SELECT 1";
/// Read back before the readiness write probe rewrites it (SQLite).
pub const SQLITE_USER_VERSION: &str = "PRAGMA user_version";
/// True on a primary that takes writes (PostgreSQL).
pub const POSTGRES_WRITABLE: &str =
    "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";

// Backups (SQLite): a snapshot copy, and the checks a file must pass before it is restored.
pub const SQLITE_VACUUM_INTO: &str = "VACUUM INTO $1";
pub const SQLITE_INTEGRITY_CHECK: &str = "PRAGMA integrity_check";
pub const SQLITE_HAS_MIGRATIONS: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'";
pub const SQLITE_APPLIED_MIGRATIONS: &str =
    "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
