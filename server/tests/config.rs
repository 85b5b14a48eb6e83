//! Store configuration: what a valid file gives, and the error each kind of mistake gets.

use encore_server::ServerConfig;
use encore_server::config::{ConfigError, MIN_SECRET_BYTES};

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn parse(text: &str) -> Result<ServerConfig, ConfigError> {
    ServerConfig::from_toml_str_with_env(text, |var| {
        (var == "ENCORE_TEST_SECRET").then(|| "s".repeat(MIN_SECRET_BYTES))
    })
}

/// One `[[store]]` section with the given origins (TOML array items) and key sections.
fn store(id: &str, origins: &str, keys: &str) -> String {
    format!("[[store]]\nid = \"{id}\"\nname = \"Shop\"\nallowed_origins = [{origins}]\n{keys}")
}

fn key(id: &str, source: &str) -> String {
    format!("[[store.keys]]\nid = \"{id}\"\n{source}\n")
}

#[test]
fn the_demo_config_is_valid() {
    let text = include_str!("../demo-store.toml");
    let config = ServerConfig::from_toml_str(text).expect("demo-store.toml is valid");
    let demo = config.store("demo").expect("the demo store");
    assert_eq!(demo.name, "Encore Demo Shop");
    assert!(config.is_origin_allowed("demo", "http://127.0.0.1:8080"));
    assert!(config.is_origin_allowed("demo", "http://localhost:8080"));
    assert!(demo.keys.len() == 1 && demo.keys[0].secret.as_bytes().len() >= MIN_SECRET_BYTES);
}

#[test]
fn lookups_answer_per_store() {
    let text = format!(
        "{}\n{}\n{}",
        store(
            "a",
            "\"https://a.example\"",
            &key("k1", &format!("secret = \"{SECRET}\""))
        ),
        store("b", "\"https://b.example\", \"http://localhost:3000\"", ""),
        key("k2", "secret_env = \"ENCORE_TEST_SECRET\""),
    );
    let config = parse(&text).expect("valid");
    assert_eq!(config.stores().len(), 2);
    assert!(config.is_origin_allowed("a", "https://a.example"));
    assert!(!config.is_origin_allowed("a", "https://b.example"));
    assert!(!config.is_origin_allowed("c", "https://a.example"));
    assert!(config.store("c").is_none());
    let all: Vec<String> = config.all_origins().into_iter().collect();
    assert_eq!(
        all,
        [
            "http://localhost:3000",
            "https://a.example",
            "https://b.example"
        ]
    );
    let env_key = &config.store("b").expect("b").keys[0];
    assert_eq!(
        env_key.secret.as_bytes(),
        "s".repeat(MIN_SECRET_BYTES).as_bytes()
    );
    assert!(
        !format!("{config:?}").contains(SECRET),
        "secrets stay out of debug output"
    );
}

/// A named config text and a test of the error it must give.
type Case = (&'static str, String, fn(&ConfigError) -> bool);

#[test]
fn each_mistake_gets_its_own_error() {
    let good_key = key("k1", &format!("secret = \"{SECRET}\""));
    let origin = "\"https://shop.example\"";
    let cases: Vec<Case> = vec![
        ("no store", String::new(), |e| {
            matches!(e, ConfigError::NoStores)
        }),
        ("not toml", "[[store]\n".into(), |e| {
            matches!(e, ConfigError::Parse { .. })
        }),
        (
            "unknown field",
            format!("{}color = \"red\"\n", store("s", origin, "")),
            |e| matches!(e, ConfigError::Parse { line: Some(5), .. }),
        ),
        (
            "unknown section",
            format!("{}\n[metrics]\non = true\n", store("s", origin, "")),
            |e| matches!(e, ConfigError::Parse { .. }),
        ),
        ("bad store id", store("Shop", origin, ""), |e| {
            matches!(e, ConfigError::InvalidStoreId(_))
        }),
        ("empty store id", store("", origin, ""), |e| {
            matches!(e, ConfigError::InvalidStoreId(_))
        }),
        ("long store id", store(&"a".repeat(65), origin, ""), |e| {
            matches!(e, ConfigError::InvalidStoreId(_))
        }),
        (
            "duplicate store",
            format!("{}\n{}", store("s", origin, ""), store("s", origin, "")),
            |e| matches!(e, ConfigError::DuplicateStoreId(id) if id == "s"),
        ),
        (
            "empty name",
            "[[store]]\nid = \"s\"\nname = \" \"\n".into(),
            |e| matches!(e, ConfigError::EmptyStoreName(_)),
        ),
        (
            "origin with slash",
            store("s", "\"https://shop.example/\"", ""),
            |e| matches!(e, ConfigError::InvalidOrigin { .. }),
        ),
        (
            "origin with path",
            store("s", "\"https://shop.example/shop\"", ""),
            |e| matches!(e, ConfigError::InvalidOrigin { .. }),
        ),
        (
            "origin without scheme",
            store("s", "\"shop.example\"", ""),
            |e| matches!(e, ConfigError::InvalidOrigin { .. }),
        ),
        (
            "origin with query",
            store("s", "\"http://localhost:8080?x=1\"", ""),
            |e| matches!(e, ConfigError::InvalidOrigin { .. }),
        ),
        (
            "bad key id",
            store("s", origin, &key("K 1", &format!("secret = \"{SECRET}\""))),
            |e| matches!(e, ConfigError::InvalidKeyId { .. }),
        ),
        (
            "duplicate key",
            store("s", origin, &format!("{good_key}{good_key}")),
            |e| matches!(e, ConfigError::DuplicateKeyId { key, .. } if key == "k1"),
        ),
        (
            "both secret sources",
            store(
                "s",
                origin,
                &key(
                    "k1",
                    &format!("secret = \"{SECRET}\"\nsecret_env = \"ENCORE_TEST_SECRET\""),
                ),
            ),
            |e| matches!(e, ConfigError::SecretGivenTwice { .. }),
        ),
        (
            "no secret source",
            store("s", origin, &key("k1", "")),
            |e| matches!(e, ConfigError::SecretMissing { .. }),
        ),
        (
            "unset env var",
            store(
                "s",
                origin,
                &key("k1", "secret_env = \"ENCORE_TEST_UNSET\""),
            ),
            |e| matches!(e, ConfigError::SecretEnvUnset { var, .. } if var == "ENCORE_TEST_UNSET"),
        ),
        (
            "short secret",
            store("s", origin, &key("k1", "secret = \"too-short\"")),
            |e| matches!(e, ConfigError::SecretTooShort { len: 9, .. }),
        ),
    ];
    for (name, text, expected) in cases {
        match parse(&text) {
            Ok(_) => panic!("{name}: accepted\n{text}"),
            Err(e) => {
                assert!(expected(&e), "{name}: wrong error {e:?}");
                let message = e.to_string();
                assert!(
                    !message.is_empty() && !message.contains('\n'),
                    "{name}: {message:?}"
                );
                assert!(
                    !message.contains(SECRET),
                    "{name}: message shows the secret"
                );
            }
        }
    }
}

#[test]
fn a_missing_file_names_the_path() {
    let err = ServerConfig::load(std::path::Path::new("/nonexistent/encore.toml"))
        .expect_err("no such file");
    assert!(
        err.to_string().contains("/nonexistent/encore.toml"),
        "{err}"
    );
}

#[test]
fn the_demo_config_describes_its_teas_and_review_form() {
    use encore_core::reviews::QuestionKind;
    use encore_core::reviews::moderation::{AutoPublish, RewardWhen};
    let config = ServerConfig::from_toml_str(include_str!("../demo-store.toml")).expect("valid");
    let demo = config.store("demo").expect("the demo store");
    assert_eq!(
        demo.product_name("jasmine-silver-needle"),
        Some("Jasmine Silver Needle")
    );
    assert_eq!(
        demo.product_name("osmanthus-oolong"),
        Some("Osmanthus Oolong")
    );
    assert_eq!(demo.product_name("coffee"), None);
    let form = &demo.reviews.form;
    assert_eq!(form.min_body, 20);
    let ids: Vec<&str> = form.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["strength", "quality"]);
    assert_eq!(form.questions[0].label.zh_cn.as_deref(), Some("口感浓淡"));
    match &form.questions[0].kind {
        QuestionKind::Choice { options } => {
            let zh: Vec<&str> = options
                .iter()
                .filter_map(|o| o.label.zh_cn.as_deref())
                .collect();
            assert_eq!(zh, ["清淡", "适中", "浓郁"]);
        }
        other => panic!("strength is a choice, not {other:?}"),
    }
    assert_eq!(
        form.questions[1].kind,
        QuestionKind::Scale { min: 1, max: 5 }
    );
    let reward = demo.reviews.reward.as_ref().expect("a reward");
    assert_eq!(reward.code, "THANKYOU-PHOTO-10");
    assert_eq!(reward.when, RewardWhen::WithPhotos);
    assert_eq!(demo.reviews.auto_publish, AutoPublish::default());
}

#[test]
fn review_settings_default_when_absent() {
    use encore_core::reviews::DEFAULT_MIN_BODY;
    let config = parse(&store(
        "a",
        "",
        &key("k1", &format!("secret = \"{SECRET}\"")),
    ))
    .expect("valid");
    let a = config.store("a").expect("store a");
    assert!(a.products.is_empty());
    assert_eq!(a.reviews.form.min_body, DEFAULT_MIN_BODY);
    assert!(a.reviews.form.questions.is_empty());
    assert!(a.reviews.reward.is_none());
    let limits = a.reviews.limits;
    assert_eq!(
        (
            limits.reviews_per_ip_per_hour,
            limits.reviews_per_product_per_hour,
            limits.helpful_per_ip_per_minute,
            limits.photos_per_ip_per_hour
        ),
        (10, 120, 30, 60)
    );
    assert_eq!(a.newest_key().map(|k| k.id.as_str()), Some("k1"));
    assert_eq!(a.secret("k1"), Some(SECRET.as_bytes()));
    assert_eq!(a.secret("k2"), None);
}

#[test]
fn review_mistakes_are_named() {
    use encore_server::config::ReviewConfigError as R;
    let base = store("a", "", "");
    let choice = |id: &str, options: &str| {
        format!(
            "[[store.reviews.questions]]\nid = \"{id}\"\nlabel = {{ en = \"Q\" }}\nkind = \"choice\"\noptions = [{options}]\n"
        )
    };
    let opt = |v: &str| format!("{{ value = \"{v}\", label = {{ en = \"{v}\" }} }}");
    let cases: Vec<(String, R)> = vec![
        (
            "[[store.products]]\nid = \"p\"\nname = \"P\"\n[[store.products]]\nid = \"p\"\nname = \"Q\"\n".into(),
            R::DuplicateProduct("p".into()),
        ),
        (
            "[[store.products]]\nid = \"p\"\nname = \" \"\n".into(),
            R::EmptyProduct("p".into()),
        ),
        (
            format!("{}{}", choice("fit", &opt("a")), choice("fit", &opt("b"))),
            R::DuplicateQuestion("fit".into()),
        ),
        (choice("fit", ""), R::BadOptions("fit".into())),
        (
            choice("fit", &format!("{}, {}", opt("a"), opt("a"))),
            R::BadOptions("fit".into()),
        ),
        (choice("", &opt("a")), R::EmptyQuestionId),
        (
            "[[store.reviews.questions]]\nid = \"q\"\nlabel = { en = \"Q\" }\nkind = \"scale\"\nmin = 5\nmax = 1\n".into(),
            R::BadScale("q".into()),
        ),
        (
            "[store.reviews.reward]\ncode = \"\"\n".into(),
            R::EmptyRewardCode,
        ),
        (
            "[store.reviews.auto_publish]\nverified_min_rating = 6\n".into(),
            R::BadThreshold,
        ),
        // Longer than a review result may carry back (docs/endpoint.md, "Length caps").
        (
            format!("[[store.products]]\nid = \"{}\"\nname = \"P\"\n", "p".repeat(129)),
            R::OverCap(format!(
                "product id {:?} is longer than 128 characters",
                "p".repeat(129)
            )),
        ),
        (
            choice(&"q".repeat(65), &opt("a")),
            R::OverCap(format!(
                "review question {:?} has an id or option value longer than 64 characters",
                "q".repeat(65)
            )),
        ),
        (
            choice("fit", &opt(&"v".repeat(65))),
            R::OverCap(
                "review question \"fit\" has an id or option value longer than 64 characters"
                    .into(),
            ),
        ),
        (
            (0..21).map(|i| choice(&format!("q{i}"), &opt("a"))).collect(),
            R::OverCap("21 review questions, more than 20".into()),
        ),
    ];
    for (section, expected) in cases {
        match parse(&format!("{base}{section}")) {
            Err(ConfigError::Reviews { store, problem }) => {
                assert_eq!((store.as_str(), &problem), ("a", &expected), "{section}");
            }
            other => panic!("{section}: expected {expected:?}, got {other:?}"),
        }
    }
    for unknown in [
        "[store.reviews]\nmin_bdy = 3\n",
        "[store.reviews.limits]\nreviews_per_day = 3\n",
        "[store.reviews.auto_publish]\nalways = true\n",
        "[[store.products]]\nid = \"p\"\nname = \"P\"\nprice = 3\n",
    ] {
        assert!(
            matches!(
                parse(&format!("{base}{unknown}")),
                Err(ConfigError::Parse { .. })
            ),
            "{unknown}"
        );
    }
}
