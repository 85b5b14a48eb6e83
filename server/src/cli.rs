//! The command line's shape: subcommands and their flags, as clap reads them.

use clap::{Parser, Subcommand};
use encore_server::ip_range::IpRange;
use encore_server::listener::ConnectionLimits;
use encore_server::write_queue::QueueLimits;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Encore's reference endpoint: stores widget results in SQLite and serves the demo storefront.
#[derive(Parser)]
#[command(name = "encore-server", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve the v1 endpoint (and optionally a static site) until SIGTERM or Ctrl-C.
    Serve {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file; created if missing.
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on; port 0 picks a free port (printed on stdout).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// A directory to serve at `/` for every path outside the API.
        #[arg(long)]
        site: Option<PathBuf>,
        /// The store console's files (`cargo xtask dist` puts them in `dist/console/`), served
        /// at `/console/`; without it `/console/` answers 404.
        #[arg(long)]
        console: Option<PathBuf>,
        /// A reverse proxy whose `X-Forwarded-For` is believed: an address (`10.0.0.1`) or a
        /// CIDR range (`10.0.0.0/8`), repeatable; without one the header is ignored.
        #[arg(long = "trusted-proxy")]
        trusted_proxy: Vec<IpRange>,
        /// Most result batches waiting to be written; more are answered 503 with Retry-After.
        #[arg(long, default_value_t = QueueLimits::DEFAULT_MAX_WAITING as u32,
              value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        max_waiting_batches: u32,
        /// Longest a result batch waits to be written (ms) before it is answered 503.
        #[arg(long, default_value_t = QueueLimits::DEFAULT_MAX_WAIT.as_millis() as u64,
              value_parser = clap::value_parser!(u64).range(1..=600_000))]
        max_write_wait_ms: u64,
        #[command(flatten)]
        connections: ConnectionFlags,
    },
    /// QR surprise codes: mint printable codes of a campaign.
    Codes {
        #[command(subcommand)]
        command: CodesCommand,
    },
    /// Validate a store configuration and exit.
    CheckConfig {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
    },
    /// Moderate reviews: list, approve, reject, reply.
    Reviews {
        #[command(subcommand)]
        command: ReviewsCommand,
    },
    /// The console's users: invite (prints a one-time link), list, disable.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// API keys for the admin API: add (prints the key once), list, revoke.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Review referred orders: list them, approve or reject the ones held for review.
    Referrals {
        #[command(subcommand)]
        command: ReferralsCommand,
    },
    /// Sign claims with a store key, for trying flows without a store backend.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Fill the demo store with published reviews (once; a second run changes nothing).
    DemoSeed {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file; created if missing.
        #[arg(long)]
        db: PathBuf,
        /// The store to seed.
        #[arg(long, default_value = "demo")]
        store: String,
    },
}

/// `serve`'s limits on slow clients and open connections.
#[derive(clap::Args)]
pub(crate) struct ConnectionFlags {
    /// Longest a client may take to send a request's headers (s), after which its connection is
    /// closed; also how long an idle keep-alive connection stays open.
    #[arg(long, default_value_t = ConnectionLimits::DEFAULT_HEADER_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout_secs: u64,
    /// Longest a request's body may take to arrive in full (s); a slower one is answered 408
    /// and its connection closed.
    #[arg(long, default_value_t = ConnectionLimits::DEFAULT_BODY_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout_secs: u64,
    /// Most connections open at once; more wait to be accepted. Each needs a file descriptor:
    /// the cap is lowered to fit the open-file limit (ulimit -n).
    #[arg(long, default_value_t = ConnectionLimits::DEFAULT_MAX_CONNECTIONS as u32,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
}

impl ConnectionFlags {
    /// The limits these flags ask for.
    pub(crate) fn limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum CodesCommand {
    /// Write `codes.csv` (serial,code,url) and A4 SVG sheets of QR labels into a directory.
    Mint {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The store.
        #[arg(long)]
        store: String,
        /// The campaign number.
        #[arg(long)]
        campaign: u16,
        /// How many codes.
        #[arg(long)]
        count: u32,
        /// The first serial; a later batch starts after the last one printed.
        #[arg(long, default_value_t = 1)]
        from: u32,
        /// Only the CSV (for a print shop that lays out its own labels).
        #[arg(long)]
        no_sheets: bool,
        /// The directory to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReviewsCommand {
    /// Print reviews as a table, newest first.
    List {
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// Only this store's reviews.
        #[arg(long)]
        store: Option<String>,
        /// Only reviews with this status.
        #[arg(long, value_parser = ["held", "published", "rejected"])]
        status: Option<String>,
    },
    /// Publish a review.
    Approve {
        /// The review's id.
        id: String,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
    },
    /// Reject a review: it and its photos are never shown.
    Reject {
        /// The review's id.
        id: String,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// Why (kept with the review and in the audit log).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Set the store's public reply under a review; an empty text removes it.
    Reply {
        /// The review's id.
        id: String,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The reply (plain text).
        #[arg(long)]
        text: String,
    },
}

/// The flags every `users` and `keys` subcommand takes.
#[derive(clap::Args)]
pub(crate) struct StoreFlags {
    /// The store configuration (TOML).
    #[arg(long)]
    pub(crate) config: PathBuf,
    /// The SQLite database file; created if missing.
    #[arg(long)]
    pub(crate) db: PathBuf,
    /// The store.
    #[arg(long)]
    pub(crate) store: String,
}

#[derive(Subcommand)]
pub(crate) enum UsersCommand {
    /// Invite a user; prints the one-time link to set a password (valid 24 hours).
    Add {
        #[command(flatten)]
        store: StoreFlags,
        /// Their e-mail.
        #[arg(long)]
        email: String,
        /// owner, moderator or viewer.
        #[arg(long, value_parser = ["owner", "moderator", "viewer"])]
        role: String,
        /// The server's public address (`https://reviews.example.com`), to print a full URL
        /// instead of the path.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Print the store's users as a table.
    List {
        #[command(flatten)]
        store: StoreFlags,
    },
    /// Disable a user: their sessions end at once.
    Disable {
        #[command(flatten)]
        store: StoreFlags,
        /// Their e-mail.
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Make an API key; prints only the key (once) on stdout, for scripts to capture.
    Add {
        #[command(flatten)]
        store: StoreFlags,
        /// Comma-separated scopes: reviews:read, reviews:write, settings:write.
        #[arg(long)]
        scope: String,
        /// A note saying what the key is for.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Print the store's keys as a table (never their secrets).
    List {
        #[command(flatten)]
        store: StoreFlags,
    },
    /// Revoke a key at once.
    Revoke {
        #[command(flatten)]
        store: StoreFlags,
        /// The key's id (the part between `ek_` and the dot).
        #[arg(long)]
        id: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReferralsCommand {
    /// Print a store's referred orders as a table, newest first.
    List {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The store.
        #[arg(long)]
        store: String,
        /// Only referrals with this status.
        #[arg(long, value_parser = ["rewarded", "review", "no_reward", "approved", "rejected"])]
        status: Option<String>,
    },
    /// Approve a referral held for review: both sides get their reward.
    Approve {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The store.
        #[arg(long)]
        store: String,
        /// The referred order's id.
        #[arg(long)]
        order: String,
    },
    /// Reject a referral held for review: it earns nothing.
    Reject {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file.
        #[arg(long)]
        db: PathBuf,
        /// The store.
        #[arg(long)]
        store: String,
        /// The referred order's id.
        #[arg(long)]
        order: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Print an order token (makes reviews verified and lists a review request's items).
    Order {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The store whose key signs.
        #[arg(long)]
        store: String,
        /// The order id.
        #[arg(long)]
        order: String,
        /// A product of the order: `product-id=Display Name` (repeat for more).
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        /// Days until the token expires.
        #[arg(long, default_value_t = 30)]
        ttl_days: u64,
        /// The key id to sign with (default: the store's newest key).
        #[arg(long)]
        key: Option<String>,
        /// The buyer's e-mail (referral: tells self-referrals apart).
        #[arg(long)]
        email: Option<String>,
        /// The buyer's first name (referral: shown to friends they refer).
        #[arg(long)]
        name: Option<String>,
        /// The buyer's member id, if they were signed in.
        #[arg(long)]
        buyer: Option<String>,
        /// Orders the buyer placed before this one (0: a first order).
        #[arg(long)]
        orders_before: Option<u32>,
    },
    /// Print a member token (signs a shopper in for member offers; lives at most 15 minutes).
    Member {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The store whose key signs.
        #[arg(long)]
        store: String,
        /// The member id in the store's own system.
        #[arg(long)]
        member: String,
        /// The member's tier (one of the store's `[[store.tiers]]`).
        #[arg(long)]
        tier: Option<String>,
        /// The day of the member's last order, YYYY-MM-DD (store time).
        #[arg(long)]
        last_order: Option<String>,
        /// How many orders the member has placed.
        #[arg(long, default_value_t = 0)]
        orders: u32,
        /// The member's first name (referral: shown to friends they refer).
        #[arg(long)]
        name: Option<String>,
        /// The member's e-mail (referral: tells self-referrals apart).
        #[arg(long)]
        email: Option<String>,
        /// Minutes until the token expires (1 to 15).
        #[arg(long, default_value_t = 15)]
        ttl_mins: u64,
        /// The key id to sign with (default: the store's newest key).
        #[arg(long)]
        key: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::{Cli, Command};
    use clap::Parser;

    #[test]
    fn trusted_proxies_are_addresses_or_cidr_ranges() {
        let cli = Cli::try_parse_from([
            "encore-server",
            "serve",
            "--config",
            "store.toml",
            "--db",
            "encore.db",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy",
            "192.0.2.7",
            "--trusted-proxy",
            "2001:db8::/32",
        ]);
        let Ok(Cli {
            command: Command::Serve { trusted_proxy, .. },
        }) = cli
        else {
            panic!("serve with three proxies");
        };
        let shown: Vec<String> = trusted_proxy.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]);
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/",
            "proxy.example",
            "2001:db8::/129",
        ] {
            let refused = Cli::try_parse_from([
                "encore-server",
                "serve",
                "--config",
                "c",
                "--db",
                "d",
                "--trusted-proxy",
                bad,
            ]);
            assert!(refused.is_err(), "{bad}");
        }
    }
}
