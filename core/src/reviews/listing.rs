//! The order, filters and pages of a review list. The server runs the
//! same rules in SQL; its tests compare the two.

use super::Review;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// Reviews per page when the client asks for no size.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// Most reviews per page.
pub const MAX_PAGE_SIZE: u32 = 50;

/// The order of a review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSort {
    /// Newest first.
    #[default]
    Recent,
    /// Most stars first, newest first among equals.
    Highest,
    /// Fewest stars first, newest first among equals.
    Lowest,
    /// Most helpful votes first, newest first among equals.
    Helpful,
}

impl ReviewSort {
    /// Every order, as offered in the sort menu.
    pub const ALL: [ReviewSort; 4] = [
        ReviewSort::Recent,
        ReviewSort::Highest,
        ReviewSort::Lowest,
        ReviewSort::Helpful,
    ];

    /// The query-string value.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSort::Recent => "recent",
            ReviewSort::Highest => "highest",
            ReviewSort::Lowest => "lowest",
            ReviewSort::Helpful => "helpful",
        }
    }

    /// The order named `value`.
    pub fn parse(value: &str) -> Option<ReviewSort> {
        ReviewSort::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Which reviews to list: order, filters and page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    /// The order.
    pub sort: ReviewSort,
    /// Only reviews with exactly this many stars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stars: Option<u8>,
    /// Only reviews with photos.
    pub photos: bool,
    /// Reviews to skip.
    pub offset: u32,
    /// Reviews to return.
    pub limit: u32,
}

impl Default for ReviewQuery {
    fn default() -> Self {
        ReviewQuery {
            sort: ReviewSort::Recent,
            stars: None,
            photos: false,
            offset: 0,
            limit: DEFAULT_PAGE_SIZE,
        }
    }
}

/// Why a query cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// `stars` outside 1–5.
    Stars,
    /// `limit` is 0 or above [`MAX_PAGE_SIZE`].
    Limit,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Stars => f.write_str("stars must be 1 to 5"),
            QueryError::Limit => write!(f, "limit must be 1 to {MAX_PAGE_SIZE}"),
        }
    }
}

impl ReviewQuery {
    /// Checks the values a client sent.
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.stars.is_some_and(|s| !(1..=5).contains(&s)) {
            return Err(QueryError::Stars);
        }
        if self.limit == 0 || self.limit > MAX_PAGE_SIZE {
            return Err(QueryError::Limit);
        }
        Ok(())
    }

    /// The query string (without `?`), in a fixed key order.
    pub fn to_query_string(&self) -> String {
        let mut q = format!("sort={}", self.sort.as_str());
        if let Some(stars) = self.stars {
            q.push_str(&format!("&stars={stars}"));
        }
        if self.photos {
            q.push_str("&photos=true");
        }
        q.push_str(&format!("&offset={}&limit={}", self.offset, self.limit));
        q
    }

    /// Whether `review` passes the filters.
    pub fn admits(&self, review: &Review) -> bool {
        self.stars.is_none_or(|s| review.rating == s) && (!self.photos || !review.photos.is_empty())
    }

    /// The page of `reviews` this query asks for, and the offset of the next page if any.
    pub fn apply<'a>(&self, reviews: &'a [Review]) -> (Vec<&'a Review>, Option<u32>) {
        let mut matching: Vec<&Review> = reviews.iter().filter(|r| self.admits(r)).collect();
        sort(&mut matching, self.sort);
        let total = matching.len();
        let start = usize::try_from(self.offset)
            .unwrap_or(usize::MAX)
            .min(total);
        let end = start
            .saturating_add(usize::try_from(self.limit).unwrap_or(usize::MAX))
            .min(total);
        let next = (end < total).then(|| u32::try_from(end).unwrap_or(u32::MAX));
        (matching[start..end].to_vec(), next)
    }
}

/// Orders `reviews` by `order`; ties fall to the newest, then to the id, so pages never
/// overlap or skip.
pub fn sort(reviews: &mut [&Review], order: ReviewSort) {
    let newest = |r: &Review| (Reverse(r.created_at), Reverse(r.id.clone()));
    match order {
        ReviewSort::Recent => reviews.sort_by_key(|r| newest(r)),
        ReviewSort::Highest => reviews.sort_by_key(|r| (Reverse(r.rating), newest(r))),
        ReviewSort::Lowest => reviews.sort_by_key(|r| (r.rating, newest(r))),
        ReviewSort::Helpful => reviews.sort_by_key(|r| (Reverse(r.helpful), newest(r))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reviews::Photo;

    fn review(id: &str, rating: u8, created_at: u64, helpful: u32, photos: usize) -> Review {
        Review {
            id: id.into(),
            rating,
            title: String::new(),
            body: "body".into(),
            name: "n".into(),
            verified: true,
            incentivized: false,
            created_at,
            photos: (0..photos)
                .map(|_| Photo {
                    url: "/p".into(),
                    width: 1,
                    height: 1,
                })
                .collect(),
            answers: vec![],
            helpful,
            reply: None,
            locale: "en".into(),
        }
    }

    fn ids(page: &[&Review]) -> Vec<String> {
        page.iter().map(|r| r.id.clone()).collect()
    }

    #[test]
    fn sorts_break_ties_by_newest_then_id() {
        let all = vec![
            review("a", 3, 100, 0, 0),
            review("b", 5, 200, 2, 1),
            review("c", 5, 300, 1, 0),
            review("d", 1, 300, 2, 2),
        ];
        let run = |sort| {
            ids(&ReviewQuery {
                sort,
                ..Default::default()
            }
            .apply(&all)
            .0)
        };
        assert_eq!(run(ReviewSort::Recent), ["d", "c", "b", "a"]);
        assert_eq!(run(ReviewSort::Highest), ["c", "b", "a", "d"]);
        assert_eq!(run(ReviewSort::Lowest), ["d", "a", "c", "b"]);
        assert_eq!(run(ReviewSort::Helpful), ["d", "b", "c", "a"]);
    }

    #[test]
    fn filters_and_pages_cover_every_review_once() {
        let all: Vec<Review> = (0..23u64)
            .map(|i| {
                review(
                    &format!("r{i:02}"),
                    (i % 5 + 1) as u8,
                    i / 2,
                    0,
                    (i % 3) as usize,
                )
            })
            .collect();
        let five = ReviewQuery {
            stars: Some(5),
            ..Default::default()
        };
        assert!(five.apply(&all).0.iter().all(|r| r.rating == 5));
        assert_eq!(five.apply(&all).0.len(), 4);
        let photos = ReviewQuery {
            photos: true,
            limit: MAX_PAGE_SIZE,
            ..Default::default()
        };
        assert_eq!(photos.apply(&all).0.len(), 15);

        let mut seen = Vec::new();
        let mut query = ReviewQuery {
            limit: 10,
            ..Default::default()
        };
        loop {
            let (page, next) = query.apply(&all);
            seen.extend(ids(&page));
            match next {
                Some(offset) => query.offset = offset,
                None => break,
            }
        }
        assert_eq!(seen.len(), 23);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 23);
        let past_end = ReviewQuery {
            offset: 99,
            ..Default::default()
        };
        assert_eq!(past_end.apply(&all), (vec![], None));
    }

    #[test]
    fn queries_validate_and_print_stably() {
        assert!(ReviewQuery::default().validate().is_ok());
        let bad_stars = ReviewQuery {
            stars: Some(6),
            ..Default::default()
        };
        assert_eq!(bad_stars.validate(), Err(QueryError::Stars));
        let bad_limit = ReviewQuery {
            limit: 51,
            ..Default::default()
        };
        assert_eq!(bad_limit.validate(), Err(QueryError::Limit));
        let q = ReviewQuery {
            sort: ReviewSort::Helpful,
            stars: Some(4),
            photos: true,
            offset: 10,
            limit: 10,
        };
        assert_eq!(
            q.to_query_string(),
            "sort=helpful&stars=4&photos=true&offset=10&limit=10"
        );
        for s in ReviewSort::ALL {
            assert_eq!(ReviewSort::parse(s.as_str()), Some(s));
        }
    }
}
