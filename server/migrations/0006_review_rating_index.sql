-- The summary (a count per rating) and the highest/lowest sorts read one product's published
-- reviews by rating: with rating in the index, the summary is an index-only scan instead of a
-- table lookup per review (p99 of the reviews page with 10,000 reviews: see `cargo xtask bench`).
CREATE INDEX reviews_rating ON reviews (store, product, status, rating, created_at);
