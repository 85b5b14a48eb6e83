-- `review.submitted` results used to be stored with their order token in clear, and an order
-- token may carry the buyer's e-mail. Every result now keeps it as its SHA-256 only. The rows
-- stored before are listed here; the server hashes their token when it opens the database
-- (`reviews::clear_tokens`: SQL has no portable SHA-256, and the body's own hash must be
-- recomputed exactly as the server computes it, so a retry still reads as a duplicate) and
-- strikes each from the list as it goes. The pattern may list a little more than needed (`_`
-- matches any letter); the server checks each body again.
CREATE TABLE review_tokens_in_clear (
    event_id TEXT PRIMARY KEY
);

INSERT INTO review_tokens_in_clear (event_id)
SELECT id FROM events
WHERE type = 'review.submitted'
  AND body LIKE '%"order_token":"%'
  AND body NOT LIKE '%"order_token":"sha256:%';

-- A referred order is credited only against a landing the server recorded itself: `received_at`
-- is the server's clock when the `referral.landed` arrived (the attribution window runs from it;
-- `landed_at` stays the browser's word) and `device` the browser's device id, which the order
-- must carry too. Landings recorded before have the receive time of their result and no device:
-- they still count on the advocate's panel, but credit no order (it is held for review).
ALTER TABLE referral_landings ADD COLUMN device TEXT;
ALTER TABLE referral_landings ADD COLUMN received_at BIGINT;

UPDATE referral_landings
SET received_at = COALESCE(
    (SELECT e.received_at FROM events e WHERE e.id = referral_landings.event_id),
    landed_at
);

CREATE INDEX referral_landings_device ON referral_landings (store, code, device, received_at);
