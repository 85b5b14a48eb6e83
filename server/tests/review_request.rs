//! `POST /v1/orders/{order}/review-request` (and its deprecated `GET` form): valid, expired, altered and missing tokens, items
//! marked done (with their reward) once reviewed, and nothing about an order for a token that
//! does not verify.

mod common;

use axum::http::{StatusCode, header};
use common::reviews::{
    DAY, OTHER_SECRET, SECRET, TEA, demo_token, fixture, get, jpeg, now_secs, review_event, submit,
    token_with_times, upload, verified_data,
};
use common::{Fixture, Reply, assert_deprecated, id, read_request};
use encore_core::reviews::{ReviewRequest, TokenProblem};
use serde_json::json;

const OOLONG: &str = "osmanthus-oolong";

async fn request(f: &Fixture, order: &str, token: Option<&str>) -> ReviewRequest {
    let fields = match token {
        Some(token) => format!("store=demo&token={token}"),
        None => "store=demo".to_owned(),
    };
    let reply = ask(f, order, &fields).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    assert_deprecated(&reply, false);
    serde_json::from_value(reply.json).expect("a ReviewRequest")
}

/// `POST /v1/orders/{order}/review-request` with the fields of `query` in its body.
async fn ask(f: &Fixture, order: &str, query: &str) -> Reply {
    let path = format!("/v1/orders/{order}/review-request");
    common::send(f.app(), read_request(&path, query)).await
}

fn products(request: &ReviewRequest) -> Vec<&str> {
    request.items.iter().map(|i| i.product.as_str()).collect()
}

#[tokio::test]
async fn a_valid_token_lists_the_orders_items_verified() {
    let f = fixture().await;
    let token = common::reviews::token_for("demo", "k1", SECRET, "1001", &[TEA, OOLONG]);
    let answer = request(&f, "1001", Some(&token)).await;
    assert!(answer.verified);
    assert_eq!(answer.problem, None);
    assert_eq!(answer.order, "1001");
    assert_eq!(products(&answer), [TEA, OOLONG]);
    assert_eq!(answer.items[0].name, format!("Name of {TEA}"));
    assert!(answer.items.iter().all(|i| !i.done && i.reward.is_none()));
    assert_eq!(answer.form.questions.len(), 2);
}

#[tokio::test]
async fn expired_and_altered_tokens_still_list_their_items_unverified() {
    let f = fixture().await;
    let now = now_secs();
    let expired = token_with_times(
        "demo",
        "k1",
        SECRET,
        "1001",
        &[TEA],
        now - 60 * DAY,
        now - DAY,
    );
    let answer = request(&f, "1001", Some(&expired)).await;
    assert!(!answer.verified);
    assert_eq!(answer.problem, Some(TokenProblem::Expired));
    assert_eq!(products(&answer), [TEA]);

    let good = demo_token("1001");
    let last = if good.ends_with('x') { 'y' } else { 'x' };
    let altered = format!("{}{last}", &good[..good.len() - 1]);
    let answer = request(&f, "1001", Some(&altered)).await;
    assert!(!answer.verified);
    assert_eq!(answer.problem, Some(TokenProblem::Invalid));
    assert_eq!(products(&answer), [TEA], "unverified, but the items show");

    // A good token for another order proves nothing about this one, and lists nothing.
    let answer = request(&f, "2002", Some(&good)).await;
    assert_eq!(
        (answer.verified, answer.problem),
        (false, Some(TokenProblem::Invalid))
    );
    assert!(answer.items.is_empty());

    let answer = request(&f, "1001", Some("garbage")).await;
    assert_eq!(answer.problem, Some(TokenProblem::Invalid));
    assert!(answer.items.is_empty());
}

#[tokio::test]
async fn a_missing_token_is_named() {
    let f = fixture().await;
    let answer = request(&f, "1001", None).await;
    assert_eq!(
        (answer.verified, answer.problem),
        (false, Some(TokenProblem::Missing))
    );
    assert!(answer.items.is_empty());
    let reply = ask(&f, "1001", "store=nope&token=x").await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
    let reply = get(&f, "/v1/orders/1001/review-request?store=nope&token=x").await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
    ask(&f, "1001", "token=x")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
}

#[tokio::test]
async fn the_token_comes_in_the_body_and_the_query_form_is_deprecated() {
    let f = fixture().await;
    let token = demo_token("1001");
    let by_body = request(&f, "1001", Some(&token)).await;
    assert!(by_body.verified);
    let by_query = get(
        &f,
        &format!("/v1/orders/1001/review-request?store=demo&token={token}"),
    )
    .await;
    assert_eq!(by_query.status, StatusCode::OK, "{}", by_query.json);
    assert_eq!(by_query.headers[header::CACHE_CONTROL], "no-store");
    assert_deprecated(&by_query, true);
    let by_query: ReviewRequest = serde_json::from_value(by_query.json).expect("a ReviewRequest");
    assert_eq!(by_query, by_body);
    // No token in the query, nothing deprecated.
    let tokenless = get(&f, "/v1/orders/1001/review-request?store=demo").await;
    assert_deprecated(&tokenless, false);
}

#[tokio::test]
async fn reviewed_items_are_done_with_their_reward() {
    let f = fixture().await;
    let token = common::reviews::token_for("demo", "k1", SECRET, "1001", &[TEA, OOLONG]);
    upload(&f, &id(90), jpeg(64, 64)).await;
    let mut data = verified_data(TEA, 3, "1001");
    data["order_token"] = token.clone().into();
    data["photos"] = json!([id(90)]);
    let reply = submit(&f, review_event(&id(1), data), "10.7.0.1").await;
    assert_eq!(reply.json["results"][0]["status"], "accepted");

    let answer = request(&f, "1001", Some(&token)).await;
    let tea = &answer.items[0];
    assert!(tea.done);
    let reward = tea.reward.clone().expect("the photo reward");
    assert_eq!(reward.code, "THANKYOU-PHOTO-10");
    assert_eq!(
        reward.description.as_deref(),
        Some("10% off your next order")
    );
    assert!(!answer.items[1].done);

    // Someone else naming the order in an unverified review does not close the buyer's form
    // for the oolong, though an unverified link shows it as reviewed.
    let mut stranger = common::reviews::review_data(OOLONG, 1);
    stranger["order"] = "1001".into();
    submit(&f, review_event(&id(2), stranger), "10.7.0.2").await;
    let answer = request(&f, "1001", Some(&token)).await;
    assert!(!answer.items[1].done);

    // A rejected review does not count as done.
    encore_server::reviews::moderation::reject(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(1),
        "",
    )
    .await
    .expect("reject");
    let answer = request(&f, "1001", Some(&token)).await;
    assert!(!answer.items[0].done);
}

#[tokio::test]
async fn a_token_that_does_not_verify_learns_nothing_about_the_order() {
    let f = fixture().await;
    let token = common::reviews::token_for("demo", "k1", SECRET, "1001", &[TEA, OOLONG]);
    upload(&f, &id(91), jpeg(64, 64)).await;
    let mut data = verified_data(TEA, 5, "1001");
    data["order_token"] = token.clone().into();
    data["photos"] = json!([id(91)]);
    let reply = submit(&f, review_event(&id(3), data), "10.7.0.3").await;
    assert_eq!(reply.json["results"][0]["status"], "accepted");
    let mut stranger = common::reviews::review_data(OOLONG, 1);
    stranger["order"] = "1001".into();
    submit(&f, review_event(&id(4), stranger), "10.7.0.4").await;
    let genuine = request(&f, "1001", Some(&token)).await;
    assert!(genuine.items[0].done && genuine.items[0].reward.is_some());

    // Guessed order ids and public product ids, signed with a key the store does not hold,
    // altered, or genuine but expired: the answer is the one for an order that never existed.
    let now = now_secs();
    let signed = |secret: &[u8], order: &str, iat: u64, exp: u64| {
        token_with_times("demo", "k1", secret, order, &[TEA, OOLONG], iat, exp)
    };
    let forged = |order: &str| signed(OTHER_SECRET, order, now - 10, now + DAY);
    let expired = |order: &str| signed(SECRET, order, now - 60 * DAY, now - DAY);
    let altered = |order: &str| format!("{}x", signed(SECRET, order, now - 10, now + DAY));
    let makers: [&dyn Fn(&str) -> String; 3] = [&forged, &expired, &altered];
    for make in makers {
        let real = request(&f, "1001", Some(&make("1001"))).await;
        assert!(!real.verified);
        assert!(
            real.items.iter().all(|i| !i.done && i.reward.is_none()),
            "nothing about order 1001: {real:?}"
        );
        let mut unknown = request(&f, "9999", Some(&make("9999"))).await;
        unknown.order = real.order.clone();
        assert_eq!(
            real, unknown,
            "the same answer as for an order that does not exist"
        );
    }
}
