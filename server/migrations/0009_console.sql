-- The store console: its people, sessions, API keys, the audit log, the auto-publish rules
-- edited in the console, and what moderation keeps on a review and a photo.
-- Portable SQL (PostgreSQL comes later); times are ms since the epoch.

-- A store's staff. `password_hash` is an Argon2id PHC string, NULL until the invitation is used.
CREATE TABLE users (
    store         TEXT NOT NULL,
    email         TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'moderator', 'viewer')),
    password_hash TEXT,
    state         TEXT NOT NULL CHECK (state IN ('invited', 'active', 'disabled')),
    created_at    BIGINT NOT NULL,
    last_sign_in  BIGINT,
    PRIMARY KEY (store, email)
);

-- One-time links to set a password; only the token's SHA-256 is kept.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    store      TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Console sessions; only the session id's SHA-256 is kept, so a copy of the database signs
-- no one in. Idle and absolute timeouts are checked against `last_seen` and `expires_at`.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    store      TEXT NOT NULL,
    email      TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (store, email);

-- API keys (`ek_<id>.<secret>`); only the secret's SHA-256 is kept. `scopes` is a comma list.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    store       TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX api_keys_store ON api_keys (store, created_at);

-- Every change made from the console, a key or the CLI, and every sign-in. Append-only.
CREATE TABLE audit_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    store   TEXT NOT NULL,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    address TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    before  TEXT NOT NULL,
    after   TEXT NOT NULL
);
CREATE INDEX audit_log_store ON audit_log (store, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Failed sign-ins, counted per account (`kind` = 'account', `subject` = store + e-mail) and per
-- client address (`kind` = 'address'), in the database so that several servers share them.
CREATE TABLE sign_in_failures (
    kind    TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (kind, subject, at);

-- The auto-publish rules per store (`ModerationRules` as JSON), seeded from the TOML.
CREATE TABLE moderation_rules (
    store      TEXT PRIMARY KEY,
    rules      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Why a review was held (comma list of `HoldSignal`s) and why it was rejected.
ALTER TABLE reviews ADD COLUMN signals TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN reject_reason TEXT;
-- A photo a moderator hid: never public, while its review may be.
ALTER TABLE review_photos ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

-- The moderation queue: a store's reviews of one status, newest first, narrowed by rating,
-- verification or product without reading the table (each filter has its leading columns).
CREATE INDEX reviews_queue_rating ON reviews (store, status, rating, created_at);
CREATE INDEX reviews_queue_verified ON reviews (store, status, verified, created_at);
