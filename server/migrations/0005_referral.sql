-- Referral: advocates and their stable codes, landings through their links, and referred orders
-- with the verdict of the fraud rules. E-mail addresses are never stored, only fingerprints
-- (SHA-256 of the normalised address), which is all the self-referral rule needs.
-- Portable SQL (ON CONFLICT, RETURNING) apart from AUTOINCREMENT.

-- One row per advocate: `advocate` is `member:{id}`, `email:{fingerprint}` or `order:{id}`.
-- The code is derived once and kept, so rotating the store's keys never changes a shared link.
CREATE TABLE referral_advocates (
    store      TEXT NOT NULL,
    advocate   TEXT NOT NULL,
    code       TEXT NOT NULL,
    email_fp   TEXT,
    name       TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store, advocate),
    UNIQUE (store, code)
);

-- One row per `referral.landed` result of a known code.
CREATE TABLE referral_landings (
    event_id  TEXT PRIMARY KEY,
    store     TEXT NOT NULL,
    code      TEXT NOT NULL,
    landed_at BIGINT NOT NULL
);

CREATE INDEX referral_landings_code ON referral_landings (store, code);

-- One referral per order, whatever result brought it. `buyer` and `buyer_email_fp` come from
-- the verified order token only. `verdict` is the fraud rules' code; `status` is where the
-- referral stands: rewarded | review | no_reward, and approved | rejected after a review.
CREATE TABLE referral_orders (
    store          TEXT NOT NULL,
    order_id       TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    code           TEXT NOT NULL,
    advocate       TEXT NOT NULL,
    buyer          TEXT,
    buyer_email_fp TEXT,
    device         TEXT NOT NULL,
    ip             TEXT,
    verdict        TEXT NOT NULL,
    status         TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT,
    PRIMARY KEY (store, order_id)
);

-- An advocate's counts, the per-device and per-IP limits, and the review queue.
CREATE INDEX referral_orders_advocate ON referral_orders (store, advocate, status);
CREATE INDEX referral_orders_device ON referral_orders (store, device);
CREATE INDEX referral_orders_ip ON referral_orders (store, ip);
CREATE INDEX referral_orders_status ON referral_orders (store, status, created_at);

-- Orders the demo store "placed" (`GET /demo/order-token`), so a demo order token can say how
-- many orders the same e-mail placed before. `seq` orders them; a real store has its own records.
CREATE TABLE demo_orders (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    store      TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    email_fp   TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (store, order_id)
);

CREATE INDEX demo_orders_email ON demo_orders (store, email_fp, seq);
