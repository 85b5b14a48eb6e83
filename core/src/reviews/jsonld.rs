//! The schema.org `Product` JSON-LD for a product's reviews, built from the same numbers the
//! widget shows. The widget writes it into the host page; the server offers it for stores that
//! render it themselves.

use super::summary::Summary;
use super::{ProductInfo, Review};
use serde_json::{Value, json};

/// Most reviews embedded.
pub const MAX_REVIEWS: usize = 10;

/// The JSON-LD text, ready to sit inside `<script type="application/ld+json">`: every `<` is
/// escaped so no review text can close the script element. `None` without reviews (a rating
/// of nothing is not valid structured data).
pub fn product_jsonld(
    product: &ProductInfo,
    summary: &Summary,
    reviews: &[Review],
) -> Option<String> {
    let average = summary.average_text()?;
    let reviews: Vec<Value> = reviews
        .iter()
        .take(MAX_REVIEWS)
        .map(|r| {
            let mut review = json!({
                "@type": "Review",
                "reviewRating": {"@type": "Rating", "ratingValue": r.rating, "bestRating": 5, "worstRating": 1},
                "author": {"@type": "Person", "name": r.name},
                "datePublished": date(r.created_at),
                "reviewBody": r.body,
                "inLanguage": r.locale,
            });
            if !r.title.is_empty() {
                review["name"] = Value::String(r.title.clone());
            }
            review
        })
        .collect();
    let doc = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name.as_deref().unwrap_or(&product.id),
        "sku": product.id,
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": average,
            "reviewCount": summary.count,
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": reviews,
    });
    Some(escape(&doc.to_string()))
}

/// Makes JSON safe inside an HTML script element (`<` → `\u003c`); the JSON means the same.
pub fn escape(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// `YYYY-MM-DD` (UTC) for milliseconds since the Unix epoch.
pub fn date(ms: u64) -> String {
    let days = i64::try_from(ms / 86_400_000).unwrap_or(0);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(body: &str) -> Review {
        Review {
            id: "r1".into(),
            rating: 5,
            title: "</script><script>alert(1)</script>".into(),
            body: body.into(),
            name: "Mei <b>".into(),
            verified: true,
            incentivized: false,
            created_at: 1_767_225_600_000,
            photos: vec![],
            answers: vec![],
            helpful: 0,
            reply: None,
            locale: "zh-CN".into(),
        }
    }

    #[test]
    fn builds_valid_escaped_json_from_the_shown_numbers() {
        let product = ProductInfo {
            id: "jasmine".into(),
            name: Some("Jasmine Silver Needle".into()),
        };
        let summary = Summary::of([5, 5, 4]);
        let reviews: Vec<Review> = (0..12)
            .map(|i| review(&format!("body {i} <img>")))
            .collect();
        let text = product_jsonld(&product, &summary, &reviews).expect("has reviews");
        assert!(!text.contains('<'));
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value["aggregateRating"]["ratingValue"], "4.7");
        assert_eq!(value["aggregateRating"]["reviewCount"], 3);
        assert_eq!(value["review"].as_array().map(Vec::len), Some(MAX_REVIEWS));
        assert_eq!(
            value["review"][0]["name"],
            "</script><script>alert(1)</script>"
        );
        assert_eq!(value["review"][0]["datePublished"], "2026-01-01");
        assert_eq!(value["name"], "Jasmine Silver Needle");
        assert_eq!(product_jsonld(&product, &Summary::default(), &[]), None);
    }

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date(1_795_305_600_000), "2026-11-22");
    }
}
