//! `POST /v1/photos` and `GET /v1/photos/{name}`: a corpus of hostile and odd uploads, metadata
//! stripping, idempotency, and photos shown only with their published review.

mod common;

use axum::http::{StatusCode, header};
use common::reviews::{
    TEA, fixture, get_raw, jpeg, review_data, review_event, submit, upload, upload_request,
    verified_data,
};
use common::{DEMO_ORIGIN, OTHER_ORIGIN, id, send};
use encore_core::reviews::PhotoUploaded;
use encore_core::reviews::photo::MAX_UPLOAD_BYTES;
use encore_server::reviews::moderation;
use encore_server::reviews::photos::decode_slots::DecodeSlots;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// A CRC-32 (IEEE), for writing a PNG chunk by hand.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `width` × `height` and whose pixel data is a few bytes of
/// nothing: nowhere near the memory such an image would need.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", ihdr),
        (b"IDAT", vec![0x78, 0x9C, 0x03, 0x00]),
        (b"IEND", Vec::new()),
    ] {
        png.extend(u32::try_from(data.len()).expect("small").to_be_bytes());
        let mut chunk = kind.to_vec();
        chunk.extend(&data);
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

/// A JPEG with an EXIF segment holding GPS data right after its start marker.
fn jpeg_with_gps() -> Vec<u8> {
    let plain = jpeg(120, 90);
    let mut payload = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
    payload.extend(b"GPSLatitude 48.8584 N GPSLongitude 2.2945 E");
    let length = u16::try_from(payload.len() + 2).expect("small");
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(length.to_be_bytes());
    out.extend(&payload);
    out.extend(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn hostile_and_odd_uploads_are_refused_with_json() {
    let f = fixture().await;
    let mut oversized = jpeg(16, 16);
    oversized.resize(MAX_UPLOAD_BYTES + 1, 0);
    let mut polyglot = b"PK\x03\x04\x14\0\0\0".to_vec();
    polyglot.extend(jpeg(16, 16));
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("oversized", oversized, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (
            "svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        (
            "gif",
            b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        (
            "html",
            b"<html><script>alert(document.cookie)</script></html>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        ("polyglot", polyglot, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image"),
        (
            "wrong magic",
            b"\xFF\xD8\x00\x00not really a jpeg".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
        ),
        ("empty", Vec::new(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image"),
        (
            "50 megapixels",
            png_header(10_000, 5_000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image_dimensions",
        ),
        (
            // The security review's bomb: accepted (40 MP cap) and decoded before.
            "40 megapixels",
            png_header(8000, 5000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image_dimensions",
        ),
        (
            "just above the cap",
            png_header(2001, 2000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image_dimensions",
        ),
        (
            "truncated png",
            png_header(100, 100),
            StatusCode::UNPROCESSABLE_ENTITY,
            "image_unreadable",
        ),
    ];
    for (n, (case, bytes, status, code)) in cases.into_iter().enumerate() {
        // Shown with the failure, if any.
        println!("case: {case}");
        let request = upload_request("demo", &id(n as u8 + 1), bytes, "image/png", "10.3.0.1");
        send(f.app(), request).await.assert_error(status, code);
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM review_photos").await, 0);
}

#[tokio::test]
async fn uploads_need_a_store_an_id_an_image_type_and_a_good_origin() {
    let f = fixture().await;
    let bytes = jpeg(16, 16);
    let reply = send(
        f.app(),
        upload_request("nope", &id(1), bytes.clone(), "image/jpeg", "10.3.0.1"),
    )
    .await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
    let reply = send(
        f.app(),
        upload_request("demo", "photo-1", bytes.clone(), "image/jpeg", "10.3.0.1"),
    )
    .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    let reply = send(
        f.app(),
        upload_request("demo", &id(1), bytes.clone(), "text/html", "10.3.0.1"),
    )
    .await;
    reply.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let mut foreign = upload_request("demo", &id(1), bytes.clone(), "image/jpeg", "10.3.0.1");
    foreign
        .headers_mut()
        .insert(header::ORIGIN, OTHER_ORIGIN.parse().expect("header"));
    send(f.app(), foreign)
        .await
        .assert_error(StatusCode::FORBIDDEN, "origin_not_allowed");
    let mut own = upload_request("demo", &id(1), bytes, "image/webp", "10.3.0.1");
    own.headers_mut()
        .insert(header::ORIGIN, DEMO_ORIGIN.parse().expect("header"));
    assert_eq!(
        send(f.app(), own).await.status,
        StatusCode::OK,
        "any image/* type; the bytes decide"
    );
}

#[tokio::test]
async fn a_repeated_upload_answers_as_the_first_without_processing_again() {
    let f = fixture().await;
    let first = upload(&f, &id(1), jpeg(2000, 1000)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json);
    let photo: PhotoUploaded = serde_json::from_value(first.json.clone()).expect("PhotoUploaded");
    assert_eq!(photo.id, id(1));
    assert_eq!(
        (photo.width, photo.height),
        (1600, 800),
        "shrunk to the long side"
    );
    let name = photo.url.strip_prefix("/v1/photos/").expect("served path");
    assert!(name.len() == 36 && name.ends_with(".jpg"), "{name}");
    // Other bytes under the same id (even garbage): the first answer, nothing processed.
    let again = upload(&f, &id(1).to_uppercase(), b"<svg/>".to_vec()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json, first.json);
    assert_eq!(f.count("SELECT COUNT(*) FROM review_photos").await, 1);
}

#[tokio::test]
async fn the_per_ip_upload_limit_answers_429() {
    let f = fixture().await;
    // 50 per hour per IP in the test store.
    for n in 0..50u8 {
        let request = upload_request("demo", &id(n), jpeg(8, 8), "image/jpeg", "10.4.0.1");
        assert_eq!(
            send(f.app(), request).await.status,
            StatusCode::OK,
            "upload {n}"
        );
    }
    let request = upload_request("demo", &id(60), jpeg(8, 8), "image/jpeg", "10.4.0.1");
    let reply = send(f.app(), request).await;
    reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn metadata_is_stripped_and_photos_show_only_when_published() {
    let f = fixture().await;
    let original = jpeg_with_gps();
    assert!(contains(&original, b"GPS") && contains(&original, b"Exif"));
    let uploaded = upload(&f, &id(50), original).await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.json);
    let url = uploaded.json["url"].as_str().expect("url").to_owned();

    // Not on a review yet: not served.
    assert_eq!(get_raw(&f, &url).await.status, StatusCode::NOT_FOUND);
    // On a held (unverified) review: still not served.
    let mut data = review_data(TEA, 4);
    data["photos"] = json!([id(50)]);
    submit(&f, review_event(&id(1), data), "10.5.0.1").await;
    assert_eq!(get_raw(&f, &url).await.status, StatusCode::NOT_FOUND);

    moderation::approve(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(1),
    )
    .await
    .expect("approve");
    let served = get_raw(&f, &url).await;
    assert_eq!(served.status, StatusCode::OK);
    let h = &served.headers;
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=300, must-revalidate"
    );
    assert_eq!(h[header::CONTENT_SECURITY_POLICY], "default-src 'none'");
    assert_eq!(h["cross-origin-resource-policy"], "cross-origin");
    let bytes = &served.bytes;
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(bytes, &[0xFF, 0xE1]), "no APP1 segment");
    assert!(!contains(bytes, b"Exif") && !contains(bytes, b"GPS"));
    let decoded = image::load_from_memory(bytes).expect("a real JPEG");
    assert_eq!((decoded.width(), decoded.height()), (120, 90));

    // Rejected again: gone again.
    moderation::reject(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(1),
        "",
    )
    .await
    .expect("reject");
    assert_eq!(get_raw(&f, &url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get_raw(&f, "/v1/photos/..%2F..%2Fetc%2Fpasswd")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_verified_review_with_a_photo_serves_it_at_once() {
    let f = fixture().await;
    upload(&f, &id(70), jpeg(300, 200)).await;
    let mut data = verified_data(TEA, 1, "1001");
    data["photos"] = json!([id(70)]);
    submit(&f, review_event(&id(1), data), "10.6.0.1").await;
    let page = common::reviews::get(
        &f,
        &format!("/v1/products/{TEA}/reviews?store=demo&photos=true"),
    )
    .await;
    let url = page.json["reviews"][0]["photos"][0]["url"]
        .as_str()
        .expect("a photo on the page")
        .to_owned();
    assert_eq!(get_raw(&f, &url).await.status, StatusCode::OK);
}

/// The `max-age` of a `Cache-Control` value, if it has one.
fn max_age(cache_control: &str) -> Option<u64> {
    cache_control
        .split(',')
        .find_map(|part| part.trim().strip_prefix("max-age="))
        .and_then(|secs| secs.parse().ok())
}

#[tokio::test]
async fn a_rejected_review_s_photo_stops_being_served_and_no_cache_keeps_it_long() {
    let f = fixture().await;
    upload(&f, &id(80), jpeg(64, 48)).await;
    let mut data = verified_data(TEA, 2, "1080");
    data["photos"] = json!([id(80)]);
    submit(&f, review_event(&id(1), data), "10.6.0.2").await;
    let page = common::reviews::get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    let url = page.json["reviews"][0]["photos"][0]["url"]
        .as_str()
        .expect("a published photo")
        .to_owned();
    let served = get_raw(&f, &url).await;
    assert_eq!(served.status, StatusCode::OK);
    // A CDN may keep it minutes, not a year, and must ask again before showing it after that.
    let cache = served.headers[header::CACHE_CONTROL]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(!cache.contains("immutable"), "{cache}");
    assert!(max_age(&cache).is_some_and(|secs| secs <= 300), "{cache}");
    assert!(cache.contains("must-revalidate"), "{cache}");
    let etag = served.headers[header::ETAG].clone();
    let revalidate = || {
        axum::http::Request::get(&url)
            .header(header::IF_NONE_MATCH, etag.clone())
            .body(axum::body::Body::empty())
            .expect("request")
    };
    // Asking again is cheap while the review stays published.
    let fresh = common::send_raw(f.app(), revalidate()).await;
    assert_eq!(fresh.status, StatusCode::NOT_MODIFIED);
    assert!(fresh.bytes.is_empty());

    moderation::reject(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(1),
        "",
    )
    .await
    .expect("reject");
    let gone = get_raw(&f, &url).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.headers[header::CACHE_CONTROL], "no-store");
    // A cache that asks again learns that the photo is gone.
    let asked = common::send_raw(f.app(), revalidate()).await;
    assert_eq!(asked.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uploads_take_turns_at_the_decoder_and_are_shed_with_503_when_none_frees() {
    let mut f = fixture().await;
    f.state.photo_decoders = Arc::new(DecodeSlots::new(1, 4, Duration::from_millis(100)));
    // Every decoder busy (as with parallel bombs): the upload waits, then is told to retry.
    let busy = f.state.photo_decoders.turn().await.expect("a free decoder");
    let reply = upload(&f, &id(1), jpeg(16, 16)).await;
    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    assert_eq!(reply.headers[header::RETRY_AFTER], "2");
    assert_eq!(f.count("SELECT COUNT(*) FROM review_photos").await, 0);
    // Once a decoder is free, the same upload goes through.
    drop(busy);
    let reply = upload(&f, &id(1), jpeg(16, 16)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(f.count("SELECT COUNT(*) FROM review_photos").await, 1);
}
