-- Results posted by widgets, stored once per client-made id.
-- Kept to portable SQL so the same schema runs on PostgreSQL.
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    store       TEXT NOT NULL,
    type        TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    origin      TEXT,
    body_sha256 TEXT NOT NULL,
    body        TEXT NOT NULL
);

CREATE INDEX events_store_type_received ON events (store, type, received_at);
