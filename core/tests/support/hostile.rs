//! Generators and the runner shared by the hostile-input property tests of encore-core
//! (core/tests/hostile_input.rs) and of the server (server/tests/hostile_input.rs), which
//! include this file by path.

// Each including test crate uses a part of it.
#![allow(dead_code)]

use proptest::prelude::*;

/// Declares each property's quick test (`quick::name`, at the including file's `CASES`) and
/// `long_every_property`, which runs them all at its `LONG_CASES`.
macro_rules! properties {
    ($($name:ident),* $(,)?) => {
        mod quick {
            $(
                #[test]
                fn $name() {
                    super::$name(super::CASES);
                }
            )*
        }

        #[test]
        #[ignore = "long: run by cargo xtask test --long"]
        fn long_every_property() {
            let properties: &[(&str, fn(u32))] = &[$((stringify!($name), $name)),*];
            for (name, property) in properties {
                let started = std::time::Instant::now();
                property(LONG_CASES);
                eprintln!("{name}: {LONG_CASES} cases in {:?}", started.elapsed());
            }
        }
    };
}
use proptest::test_runner::{Config, TestCaseResult, TestRunner};

/// Runs `test` on `cases` values of `strategy`; a failure (or a panic) names the property and
/// the smallest input proptest shrank it to.
pub fn check<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> TestCaseResult,
) {
    // PROPTEST_CASES, when set, overrides the count (to hunt harder, or to replay quickly).
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    let mut runner = TestRunner::new(Config {
        cases,
        // No regression files: a failure prints its input, and a fix adds a named test.
        failure_persistence: None,
        // Mutations that change nothing and tokens too long to read are skipped, not failed.
        max_global_rejects: cases.saturating_mul(2).max(1024),
        ..Config::default()
    });
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{name}: {failure}");
    }
}

/// Text as hostile pages and clients send it: plain (with URL punctuation), any Unicode,
/// control characters, JSON escapes, and long runs.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ._@+/:=&%?#-]{0,24}",
        3 => any::<String>(),
        1 => "[\\x00-\\x1f\"\\\\\u{7f}\u{200b}\u{feff}\u{fffd}]{0,6}",
        1 => (any::<char>(), 0usize..3000).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// One way of damaging a signed token or a printed code.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// The character at this position (modulo the length) replaced.
    Replace(usize, char),
    /// A character inserted before this position.
    Insert(usize, char),
    /// The character at this position removed.
    Remove(usize),
    /// Cut to this many characters (modulo the length).
    Truncate(usize),
    /// Text appended.
    Extend(String),
    /// Two neighbouring characters swapped.
    Swap(usize),
    /// Standard base64's `+` and `/` instead of base64url's `-` and `_`.
    StandardAlphabet,
    /// `=` padding after a part.
    Padding { after_payload: bool, count: usize },
    /// Whitespace around or inside.
    Whitespace(usize, char),
    /// The ASCII case of every letter flipped.
    FlipCase,
    /// The two parts in the other order.
    SwapParts,
}

/// `text` damaged by `mutation`.
pub fn mutate(text: &str, mutation: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(1);
    match mutation {
        Mutation::Replace(i, c) => {
            if let Some(slot) = chars.get_mut(i % n) {
                *slot = *c;
            }
        }
        Mutation::Insert(i, c) => chars.insert(i % (chars.len() + 1), *c),
        Mutation::Remove(i) => {
            if !chars.is_empty() {
                chars.remove(i % n);
            }
        }
        Mutation::Truncate(k) => chars.truncate(k % n),
        Mutation::Extend(tail) => chars.extend(tail.chars()),
        Mutation::Swap(i) => {
            if chars.len() >= 2 {
                let i = i % (chars.len() - 1);
                chars.swap(i, i + 1);
            }
        }
        Mutation::StandardAlphabet => {
            return text.replace('-', "+").replace('_', "/");
        }
        Mutation::Padding {
            after_payload,
            count,
        } => {
            let pad = "=".repeat(*count);
            return match (text.split_once('.'), after_payload) {
                (Some((p, t)), true) => format!("{p}{pad}.{t}"),
                _ => format!("{text}{pad}"),
            };
        }
        Mutation::Whitespace(i, c) => chars.insert(i % (chars.len() + 1), *c),
        Mutation::FlipCase => {
            return text
                .chars()
                .map(|c| {
                    if c.is_ascii_uppercase() {
                        c.to_ascii_lowercase()
                    } else {
                        c.to_ascii_uppercase()
                    }
                })
                .collect();
        }
        Mutation::SwapParts => {
            return match text.split_once('.') {
                Some((p, t)) => format!("{t}.{p}"),
                None => text.chars().rev().collect(),
            };
        }
    }
    chars.into_iter().collect()
}
