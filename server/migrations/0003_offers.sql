-- Member offers: claims and single-use code pools.
-- Kept to portable SQL (ON CONFLICT, RETURNING) so the same schema runs on PostgreSQL.

-- One row per accepted `offer.claimed` result; `id` is that result's id, so a retry of the
-- result finds its code here. `member` comes from the verified member token only.
CREATE TABLE offer_claims (
    id         TEXT PRIMARY KEY,
    store      TEXT NOT NULL,
    offer      TEXT NOT NULL,
    member     TEXT NOT NULL,
    code       TEXT NOT NULL,
    claimed_at BIGINT NOT NULL
);

-- Counting an offer's claims (its budget) and one member's claims of it (the per-member limit,
-- and their latest code): both are prefixes of this one index.
CREATE INDEX offer_claims_member ON offer_claims (store, offer, member, claimed_at);

-- Single-use codes of offers with a pool, loaded from the store config at startup (existing
-- rows are kept). A code is handed out at most once per store: `claimed_by` is the
-- `offer_claims.id` that took it.
CREATE TABLE offer_codes (
    store      TEXT NOT NULL,
    offer      TEXT NOT NULL,
    code       TEXT NOT NULL,
    -- The code's place in the config list; codes go out in that order.
    position   INTEGER NOT NULL,
    claimed_by TEXT,
    PRIMARY KEY (store, code)
);

-- The next free code of an offer.
CREATE INDEX offer_codes_free ON offer_codes (store, offer, claimed_by, position);
