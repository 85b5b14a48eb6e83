-- Reviews, their photos and helpful votes.
-- Kept to portable SQL (partial indexes included) so the same schema runs on PostgreSQL.

-- One row per accepted `review.submitted` result; `id` is that result's id.
CREATE TABLE reviews (
    id                 TEXT PRIMARY KEY,
    store              TEXT NOT NULL,
    product            TEXT NOT NULL,
    order_id           TEXT,
    rating             INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    name               TEXT NOT NULL,
    -- The answers to the store's questions, as a JSON array.
    answers            TEXT NOT NULL,
    locale             TEXT NOT NULL,
    verified           INTEGER NOT NULL CHECK (verified IN (0, 1)),
    incentivized       INTEGER NOT NULL CHECK (incentivized IN (0, 1)),
    status             TEXT NOT NULL CHECK (status IN ('published', 'held', 'rejected')),
    reward_code        TEXT,
    reward_description TEXT,
    helpful            INTEGER NOT NULL DEFAULT 0,
    reply              TEXT,
    reply_at           BIGINT,
    created_at         BIGINT NOT NULL,
    ip                 TEXT
);

-- Product pages: one product's reviews of one status, newest first.
CREATE INDEX reviews_listing ON reviews (store, product, status, created_at);
-- Moderation: a store's reviews by status.
CREATE INDEX reviews_status ON reviews (store, status, created_at);
-- Review requests: what an order's buyer has already reviewed.
CREATE INDEX reviews_order ON reviews (store, order_id, product);
-- One order item has at most one verified review.
CREATE UNIQUE INDEX reviews_one_verified_per_order_item
    ON reviews (store, order_id, product) WHERE verified = 1;

-- Uploaded photos, re-encoded as JPEG; linked to a review when it arrives.
CREATE TABLE review_photos (
    upload_id  TEXT NOT NULL,
    store      TEXT NOT NULL,
    -- The server-made file name: 32 random hex digits and ".jpg".
    name       TEXT NOT NULL UNIQUE,
    review_id  TEXT REFERENCES reviews (id),
    -- The photo's place among its review's photos.
    position   INTEGER,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store, upload_id)
);

CREATE INDEX review_photos_review ON review_photos (review_id, position);

-- One helpful vote per review and browser.
CREATE TABLE helpful_votes (
    review_id  TEXT NOT NULL REFERENCES reviews (id),
    browser    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (review_id, browser)
);
