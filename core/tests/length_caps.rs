//! The length caps table of docs/endpoint.md is what `decode_event` enforces: for every row, a
//! result with that field at its cap passes the caps, and one over is refused `too_long` naming
//! the field; and no capped field is missing from the table.

use encore_core::events::{KNOWN_TYPES, RejectReason, decode_event};
use encore_core::length_caps::{TooLong, Unit};
use serde_json::{Value, json};

/// One row of the table: the result's type, the field, the cap and what it counts.
#[derive(Debug)]
struct Row {
    ty: String,
    field: String,
    cap: usize,
    unit: Unit,
}

/// The rows of the table under "### Length caps".
fn documented() -> Vec<Row> {
    let doc = include_str!("../../docs/endpoint.md");
    let section = doc
        .split("### Length caps")
        .nth(1)
        .expect("docs/endpoint.md has a Length caps section");
    section
        .lines()
        .skip_while(|l| !l.starts_with("| result"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line
                .split('|')
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            let (cap, unit) = cells[3].split_once(' ').expect("a cap and its unit");
            Row {
                ty: match cells[1] {
                    "every result" => "widget.impression".to_owned(),
                    ty => ty.to_owned(),
                },
                field: cells[2].to_owned(),
                cap: cap.parse().expect("a number"),
                unit: match unit {
                    "characters" => Unit::Chars,
                    "entries" => Unit::Items,
                    other => panic!("unknown unit {other}"),
                },
            }
        })
        .collect()
}

/// A valid result of type `ty`.
fn valid(ty: &str) -> Value {
    let device = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let data = match ty {
        "widget.impression" => json!({"mode": "product", "product": "p", "page": "https://a/"}),
        "referral.landed" => json!({"code": "ALEX-15", "landed_at": 1, "page": "https://a/"}),
        "referral.shared" => json!({"code": "ALEX-15", "via": "copy"}),
        "referral.ordered" => {
            json!({"code": "A", "landed_at": 1, "order_token": "t", "device": device})
        }
        "offer.claimed" => json!({"offer": "o", "member_token": "t"}),
        "surprise.redeemed" => json!({"code": "c", "device": device, "member_token": "t"}),
        "review.submitted" => json!({
            "product": "p", "order": "o", "order_token": "t", "rating": 5, "title": "t",
            "body": "b", "name": "n", "answers": [{"question": "q", "value": "v"}],
            "photos": [device], "locale": "en", "fill_ms": 9000, "website": "w"
        }),
        other => panic!("no valid result of type {other}"),
    };
    json!({
        "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "store": "demo",
        "occurred_at": 1,
        "type": ty,
        "data": data,
    })
}

/// `valid(row.ty)` with the row's field `len` long; a text of "é", two bytes each, so that a
/// cap counted in bytes would show.
fn with_len(row: &Row, len: usize) -> Value {
    let mut result = valid(&row.ty);
    let text = Value::from("é".repeat(len));
    let data = &mut result["data"];
    match row.field.as_str() {
        "store" => result["store"] = text,
        "data.answers" => {
            data["answers"] = vec![json!({"question": "q", "value": "v"}); len].into()
        }
        "data.answers[].question" => data["answers"][0]["question"] = text,
        "data.answers[].value" => data["answers"][0]["value"] = text,
        "data.photos" => data["photos"] = vec![Value::from("x"); len].into(),
        "data.photos[]" => data["photos"][0] = text,
        field => data[field.strip_prefix("data.").expect("a data field")] = text,
    }
    result
}

#[test]
fn every_documented_cap_is_enforced_and_names_its_field() {
    let rows = documented();
    assert!(rows.len() >= 28, "the table has {} rows", rows.len());
    for row in &rows {
        match decode_event(&with_len(row, row.cap)) {
            Ok(_) => {}
            Err((_, reason)) => panic!("{row:?} at its cap: {reason:?}"),
        }
        let over = decode_event(&with_len(row, row.cap + 1)).map_err(|e| e.1);
        let field = over.as_ref().err().and_then(RejectReason::field);
        assert_eq!(
            field,
            Some(row.field.as_str()),
            "{row:?} one over: {over:?}"
        );
        assert!(
            matches!(
                over,
                Err(RejectReason::TooLong(TooLong { max, unit, .. })) if max == row.cap && unit == row.unit
            ),
            "{row:?} one over: {over:?}"
        );
        assert_eq!(over.map_err(|r| r.code()), Err("too_long"));
    }
}

/// Every text of every type is in the table: a result with any one of its strings a megabyte
/// long is refused `too_long` for a documented field of its type.
#[test]
fn no_text_of_any_result_goes_uncapped() {
    let rows = documented();
    for ty in KNOWN_TYPES {
        let valid = valid(ty);
        let mut pointers = Vec::new();
        strings(&valid, String::new(), &mut pointers);
        assert!(pointers.len() >= 2, "{ty}: {pointers:?}");
        for pointer in pointers {
            let mut result = valid.clone();
            if let Some(text) = result.pointer_mut(&pointer) {
                *text = "x".repeat(1 << 20).into();
            }
            let refused = decode_event(&result).map_err(|e| e.1);
            let field = refused.as_ref().err().and_then(RejectReason::field);
            assert!(
                rows.iter()
                    .any(|r| Some(r.field.as_str()) == field && (r.ty == *ty || r.field == "store")),
                "{ty}: {pointer} a megabyte long gives {:?}",
                refused.as_ref().map(|_| "accepted").map_err(RejectReason::code)
            );
        }
    }
}

/// The JSON pointer of every string in `value` under `at`, but the id, the type and `via` (a
/// closed set of words).
fn strings(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if !matches!(key.as_str(), "id" | "type" | "via") {
                    strings(item, format!("{at}/{key}"), out);
                }
            }
        }
        _ => {}
    }
}
