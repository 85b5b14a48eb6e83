//! The HTTP surface around the handlers: CORS, the static site and unknown paths.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{DEMO_ORIGIN, Fixture, OTHER_ORIGIN, batch, events_request, id, impression, send};
use encore_server::{AppOptions, app_with};

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/events")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn a_preflight_from_a_configured_origin_is_allowed_without_credentials() {
    let f = Fixture::new().await;
    for origin in [DEMO_ORIGIN, OTHER_ORIGIN] {
        let reply = f.send(preflight(origin)).await;
        assert!(reply.status.is_success(), "{}", reply.status);
        let h = &reply.headers;
        assert_eq!(
            h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .expect("allow-origin"),
            origin
        );
        assert!(h.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
        let methods = h
            .get(header::ACCESS_CONTROL_ALLOW_METHODS)
            .expect("allow-methods");
        assert!(methods.to_str().expect("ascii").contains("POST"));
        let headers = h
            .get(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .expect("allow-headers");
        assert_eq!(headers, "content-type");
        assert_eq!(
            h.get(header::ACCESS_CONTROL_MAX_AGE).expect("max-age"),
            "86400"
        );
    }
}

#[tokio::test]
async fn a_preflight_from_a_foreign_origin_is_not_allowed() {
    let f = Fixture::new().await;
    let reply = f.send(preflight("https://evil.example")).await;
    assert!(
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
    assert!(
        reply
            .headers
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );
}

#[tokio::test]
async fn an_allowed_page_can_read_the_batch_reply() {
    let f = Fixture::new().await;
    let body = batch(vec![impression(&id(1), "demo")]).to_string();
    let reply = f
        .send(events_request(body, "text/plain", Some(DEMO_ORIGIN)))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let allowed = reply
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .expect("allow-origin");
    assert_eq!(allowed, DEMO_ORIGIN);
}

#[tokio::test]
async fn without_a_site_unknown_paths_get_a_json_404() {
    let f = Fixture::new().await;
    let request = Request::get("/index.html")
        .body(Body::empty())
        .expect("request");
    f.send(request)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_site_is_served_at_the_root_behind_the_api() {
    let f = Fixture::new().await;
    let site = f.dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site dir");
    std::fs::write(site.join("index.html"), "<h1>Encore demo</h1>").expect("index");
    std::fs::write(site.join("pkg/encore_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    let app = || {
        app_with(
            f.state.clone(),
            &AppOptions {
                site: Some(site.clone()),
                console: None,
            },
        )
    };

    let reply = send(
        app(),
        Request::get("/").body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json, "<h1>Encore demo</h1>");
    assert_eq!(
        reply
            .headers
            .get(header::CACHE_CONTROL)
            .expect("cache-control"),
        "no-cache"
    );

    let wasm = Request::get("/pkg/encore_bg.wasm")
        .body(Body::empty())
        .expect("request");
    let reply = send(app(), wasm).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).expect("type"),
        "application/wasm"
    );

    let missing = Request::get("/nope.html")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(app(), missing).await.status, StatusCode::NOT_FOUND);

    let health = Request::get("/v1/health")
        .body(Body::empty())
        .expect("request");
    let reply = send(app(), health).await;
    assert_eq!(reply.json, serde_json::json!({"status": "ok"}));
}
