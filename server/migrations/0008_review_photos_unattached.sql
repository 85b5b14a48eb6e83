-- Uploads not (yet) on a review, by age: what the sweep of orphaned photos reads every hour,
-- without scanning the table's image bytes.
CREATE INDEX review_photos_unattached ON review_photos (created_at) WHERE review_id IS NULL;
