-- QR surprise codes: one redemption per printed code, single-use prize codes, and an
-- append-only audit of every draw. Portable SQL (ON CONFLICT, RETURNING) except the two
-- triggers, which PostgreSQL writes as rules or a trigger function.

-- One row per redeemed code; the primary key is what makes redemption single-use.
-- `redemption_id` is the browser's attempt (also the `surprise.redeemed` result's id), so a
-- retry finds its answer here. `member` comes from a verified member token only.
CREATE TABLE surprise_redemptions (
    store         TEXT NOT NULL,
    campaign      INTEGER NOT NULL,
    serial        BIGINT NOT NULL,
    redemption_id TEXT NOT NULL UNIQUE,
    device        TEXT NOT NULL,
    member        TEXT,
    prize_id      TEXT NOT NULL,
    prize_code    TEXT,
    redeemed_at   BIGINT NOT NULL,
    PRIMARY KEY (store, campaign, serial)
);

-- Per-device and per-member limits, and counting a prize's awards against its budget.
CREATE INDEX surprise_redemptions_device ON surprise_redemptions (store, campaign, device);
CREATE INDEX surprise_redemptions_member ON surprise_redemptions (store, campaign, member);
CREATE INDEX surprise_redemptions_prize ON surprise_redemptions (store, campaign, prize_id);

-- Single-use prize codes from the config (`codes = [...]`), loaded at startup; `claimed_by`
-- is the redemption that took one.
CREATE TABLE surprise_codes (
    store      TEXT NOT NULL,
    campaign   INTEGER NOT NULL,
    prize      TEXT NOT NULL,
    code       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    claimed_by TEXT,
    PRIMARY KEY (store, campaign, prize, code)
);

CREATE INDEX surprise_codes_free ON surprise_codes (store, campaign, prize, claimed_by, position);

-- Every draw, winning or not, in the order made: what was rolled and what it gave.
CREATE TABLE surprise_awards (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    store         TEXT NOT NULL,
    campaign      INTEGER NOT NULL,
    serial        BIGINT NOT NULL,
    redemption_id TEXT NOT NULL,
    prize_id      TEXT NOT NULL,
    prize_code    TEXT,
    roll_ppm      INTEGER NOT NULL,
    awarded_at    BIGINT NOT NULL
);

CREATE TRIGGER surprise_awards_no_update BEFORE UPDATE ON surprise_awards
BEGIN
    SELECT RAISE(ABORT, 'surprise_awards is append-only');
END;

CREATE TRIGGER surprise_awards_no_delete BEFORE DELETE ON surprise_awards
BEGIN
    SELECT RAISE(ABORT, 'surprise_awards is append-only');
END;
