//! Minifies the widget's stylesheets into one file in `OUT_DIR` (comments and needless
//! whitespace out), which `src/stylesheet.rs` embeds: the CSS ships inside the wasm, so every
//! byte saved here is a byte fewer for every shopper.

use std::path::Path;

/// The stylesheets, in cascade order, each with the features whose surfaces use it (none:
/// always). A bundle carries only the sheets of the surfaces it was built with; rules that
/// shared pieces (`ui::`) need live in `src/style.css`.
const SHEETS: [(&str, &[&str]); 6] = [
    ("src/style.css", &[]),
    ("src/reviews/product/style.css", &["REVIEWS"]),
    ("src/reviews/form/style.css", &["REVIEW_FORM"]),
    ("src/offers/style.css", &["OFFERS"]),
    ("src/surprise/style.css", &["SURPRISE"]),
    ("src/referral/style.css", &["REFERRAL_WELCOME"]),
];

fn main() {
    let mut css = String::new();
    for (sheet, features) in SHEETS {
        println!("cargo:rerun-if-changed={sheet}");
        let wanted = features.is_empty()
            || features
                .iter()
                .any(|f| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some());
        if !wanted {
            continue;
        }
        let text =
            std::fs::read_to_string(sheet).unwrap_or_else(|e| panic!("cannot read {sheet}: {e}"));
        css.push_str(&minify(&text));
    }
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| panic!("cargo sets OUT_DIR"));
    std::fs::write(Path::new(&out).join("style.min.css"), css)
        .unwrap_or_else(|e| panic!("cannot write the minified stylesheet: {e}"));
}

/// Drops comments and collapses whitespace, keeping quoted strings as they are. Spaces around
/// `{ } ; , >` and after `:` inside blocks are dropped; elsewhere a run of whitespace is one
/// space (descendant selectors and values such as `0 0 12px` need it).
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ',' | '>' => {
                pending_space = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
            ':' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
            _ => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending space unless the previous character makes it needless.
fn flush_space(out: &mut String, pending: &mut bool, _next: char) {
    if std::mem::take(pending)
        && !out.is_empty()
        && !out.ends_with(['{', '}', ';', ',', '>', ':', '('])
    {
        out.push(' ');
    }
}
