//! The console's addresses: hash routes (`#/reviews?status=rejected`), so any static server can
//! serve the bundle, and a reload or the back button keeps the page and its filters. Pure: the
//! queue's and the log's filters travel through `encore-core`'s own query forms.

use encore_core::admin::audit::AuditFilter;
use encore_core::admin::query_string;
use encore_core::admin::queue::QueueFilter;

/// A page of the console and what its address carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Sign in; come back to `next` (a hash) afterwards; `store` preselects a store.
    SignIn {
        /// The hash to return to after signing in.
        next: Option<String>,
        /// The store to preselect.
        store: Option<String>,
        /// Coming from the welcome page: say the password is set.
        password_set: bool,
    },
    /// Set a password from an invitation.
    Welcome {
        /// The invitation's token.
        token: String,
    },
    /// The moderation queue under a filter.
    Reviews(QueueFilter),
    /// The auto-publish rules.
    Rules,
    /// The audit log under a filter.
    Audit(AuditFilter),
    /// The store's users.
    Users,
    /// The store's API keys.
    Keys,
}

impl Default for Route {
    fn default() -> Self {
        Route::Reviews(QueueFilter::default())
    }
}

impl Route {
    /// The route in `hash` (`#/reviews?rating=1`, with or without `#`). An unknown page or a
    /// filter that does not parse falls back to the plain queue: an old bookmark still opens.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let value = |key: &str| {
            query_string::decode(query)
                .into_iter()
                .find(|(k, v)| k == key && !v.is_empty())
                .map(|(_, v)| v)
        };
        match path {
            "sign-in" => Route::SignIn {
                next: value("next").filter(|n| is_inner_hash(n)),
                store: value("store"),
                password_set: value("set").is_some_and(|v| v == "1"),
            },
            "welcome" => Route::Welcome {
                token: value("token").unwrap_or_default(),
            },
            "reviews" | "" => Route::Reviews(QueueFilter::from_query(query).unwrap_or_default()),
            "rules" => Route::Rules,
            "audit" => Route::Audit(AuditFilter::from_query(query).unwrap_or_default()),
            "users" => Route::Users,
            "keys" => Route::Keys,
            _ => Route::default(),
        }
    }

    /// The hash for this route, with its `#`.
    pub fn to_hash(&self) -> String {
        let with = |path: &str, query: String| {
            if query.is_empty() {
                format!("#/{path}")
            } else {
                format!("#/{path}?{query}")
            }
        };
        match self {
            Route::SignIn {
                next,
                store,
                password_set,
            } => {
                let mut pairs = Vec::new();
                if let Some(store) = store {
                    pairs.push(("store", store.clone()));
                }
                if let Some(next) = next {
                    pairs.push(("next", next.clone()));
                }
                if *password_set {
                    pairs.push(("set", "1".to_owned()));
                }
                with("sign-in", query_string::encode(&pairs))
            }
            Route::Welcome { token } => {
                with("welcome", query_string::encode(&[("token", token.clone())]))
            }
            Route::Reviews(filter) => with("reviews", filter.to_query()),
            Route::Rules => with("rules", String::new()),
            Route::Audit(filter) => with("audit", filter.to_query()),
            Route::Users => with("users", String::new()),
            Route::Keys => with("keys", String::new()),
        }
    }

    /// Whether the page needs a session (everything but signing in and setting a password).
    pub fn needs_session(&self) -> bool {
        !matches!(self, Route::SignIn { .. } | Route::Welcome { .. })
    }

    /// Where an expired session sends the console from `current` (a hash): to sign in, then
    /// back to `current`, so a moderator's filter survives.
    pub fn sign_in_from(current: &str) -> Route {
        let current = if current.starts_with('#') {
            current.to_owned()
        } else {
            format!("#{current}")
        };
        let here = Route::parse(&current);
        Route::SignIn {
            next: here.needs_session().then(|| here.to_hash()),
            store: None,
            password_set: false,
        }
    }

    /// Which navigation entry the route belongs to.
    pub fn section(&self) -> Section {
        match self {
            Route::SignIn { .. } | Route::Welcome { .. } | Route::Reviews(_) => Section::Reviews,
            Route::Rules => Section::Rules,
            Route::Audit(_) => Section::Audit,
            Route::Users => Section::Users,
            Route::Keys => Section::Keys,
        }
    }
}

/// The navigation's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The queue.
    Reviews,
    /// The rules.
    Rules,
    /// The audit log.
    Audit,
    /// Users.
    Users,
    /// API keys.
    Keys,
}

/// Whether `next` is a console hash (`#/...`): anything else (an absolute URL, `javascript:`)
/// could send a moderator off-site after signing in.
fn is_inner_hash(next: &str) -> bool {
    next.starts_with("#/") && !next.contains("://") && !next.starts_with("#//")
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::admin::audit::AuditAction;
    use encore_core::admin::queue::ReviewStatus;

    #[test]
    fn every_route_survives_its_hash() {
        let routes = [
            Route::SignIn {
                next: Some("#/reviews?rating=1&q=tea%20%26%20co".into()),
                store: Some("demo".into()),
                password_set: false,
            },
            Route::SignIn {
                next: None,
                store: None,
                password_set: true,
            },
            Route::Welcome {
                token: "abc.DEF-123".into(),
            },
            Route::Reviews(QueueFilter {
                status: ReviewStatus::Rejected,
                rating: Some(2),
                search: Some("茶 & more".into()),
                page: 2,
                ..QueueFilter::default()
            }),
            Route::Reviews(QueueFilter::default()),
            Route::Rules,
            Route::Audit(AuditFilter {
                action: Some(AuditAction::SignedIn),
                actor: Some("mei@example.com".into()),
                target: None,
                page: 1,
            }),
            Route::Users,
            Route::Keys,
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.to_hash()), route, "{}", route.to_hash());
        }
        assert_eq!(
            Route::Reviews(QueueFilter::default()).to_hash(),
            "#/reviews"
        );
    }

    #[test]
    fn unknown_or_broken_addresses_open_the_queue() {
        for hash in ["", "#", "#/", "#/nowhere", "#/reviews?rating=9"] {
            assert_eq!(Route::parse(hash), Route::default(), "{hash}");
        }
    }

    #[test]
    fn an_expired_session_returns_to_the_same_filter() {
        let here = "#/reviews?status=published&rating=1&q=late";
        let sign_in = Route::sign_in_from(here);
        let hash = sign_in.to_hash();
        assert!(hash.starts_with("#/sign-in?next="));
        let Route::SignIn {
            next: Some(next), ..
        } = Route::parse(&hash)
        else {
            panic!("no next in {hash}");
        };
        assert_eq!(Route::parse(&next), Route::parse(here));
        // Signing in from the sign-in page does not loop back to it.
        assert_eq!(
            Route::sign_in_from("#/sign-in?next=%23%2Frules"),
            Route::SignIn {
                next: None,
                store: None,
                password_set: false,
            }
        );
    }

    #[test]
    fn next_never_leaves_the_console() {
        for next in [
            "https://evil.example/",
            "javascript:alert(1)",
            "#//evil.example",
        ] {
            let hash = format!(
                "#/sign-in?next={}",
                query_string::encode(&[("n", next.into())]).trim_start_matches("n=")
            );
            assert_eq!(
                Route::parse(&hash),
                Route::SignIn {
                    next: None,
                    store: None,
                    password_set: false,
                },
                "{next}"
            );
        }
    }
}
