//! `server-load`: what the reference server holds, as one JSON object on stdout (progress on
//! stderr). See `encore_bench::load`.
//!
//! ```text
//! server-load load [--seconds 30] [--concurrency N]   POST /v1/events under load
//! server-load burst [--seconds 60] [--rate 1200] [--factor 5] [--burst-seconds 10]
//!                                                      steady open load, then a burst
//! server-load reviews [--count 10000] [--requests 500] GET the reviews page of a big product
//! server-load forged [--count 100000]                  forged surprise codes, per request
//! server-load flood [--seconds 10] [--flooders 128] [--rate 20]
//!                                                      shoppers' batches while one address floods
//! server-load moderation [--count 100000] [--products 1000] [--requests 50]
//!                                                      the console's review queue per filter
//! server-load photo-bomb [--uploads 20]                parallel decompression-bomb uploads,
//!                                                      the server's peak memory
//! ```
//!
//! ENCORE_SERVER_BIN names the server binary (`load`, `reviews`, `moderation`, `photo-bomb`);
//! use a release build.

use encore_bench::load::{self, Outcome, Result, args::Args};
use std::process::ExitCode;

const USAGE: &str = "usage: server-load load [--seconds 30] [--concurrency N]\n       \
                     server-load burst [--seconds 60] [--rate 1200] [--factor 5] \
                     [--burst-seconds 10]\n       \
                     server-load reviews [--count 10000] [--requests 500]\n       \
                     server-load forged [--count 100000]\n       \
                     server-load flood [--seconds 10] [--flooders 128] [--rate 20]
                     server-load moderation [--count 100000] [--products 1000] [--requests 50]
                     server-load photo-bomb [--uploads 20]";

/// A subcommand with its options read.
enum Command {
    Load(load::events::Options),
    Burst(load::burst::Options),
    Reviews(load::reviews::Options),
    Forged(load::forged::Options),
    Flood(load::flood::Options),
    PhotoBomb(load::photo_bomb::Options),
    Moderation(load::moderation::Options),
}

// One thread: the measuring side takes at most one core, and the server keeps the rest.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let command = match command(Args::parse(std::env::args().skip(1))) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("server-load: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match command {
        Command::Load(options) => load::events::run(options).await,
        Command::Burst(options) => load::burst::run(options).await,
        Command::Reviews(options) => load::reviews::run(options).await,
        Command::Forged(options) => load::forged::run(options).await,
        Command::Flood(options) => load::flood::run(options).await,
        Command::PhotoBomb(options) => load::photo_bomb::run(options).await,
        Command::Moderation(options) => load::moderation::run(options).await,
    };
    match outcome {
        Ok(Outcome { report, failed }) => {
            println!("{report}");
            match failed {
                None => ExitCode::SUCCESS,
                Some(why) => {
                    eprintln!("server-load: check failed: {why}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("server-load: {e}");
            ExitCode::FAILURE
        }
    }
}

fn command(args: Result<Args>) -> Result<Command> {
    let mut args = args?;
    let command = match args.command.as_str() {
        "load" => Command::Load(load::events::Options {
            seconds: at_least_one(args.take("seconds", 30)?, "seconds")?,
            concurrency: at_least_one(
                args.take("concurrency", load::events::default_concurrency())?,
                "concurrency",
            )?,
        }),
        "burst" => Command::Burst(load::burst::Options {
            seconds: at_least_one(args.take("seconds", 60)?, "seconds")?,
            rate: at_least_one(args.take("rate", load::burst::DEFAULT_RATE)?, "rate")?,
            factor: at_least_one(args.take("factor", 5)?, "factor")?,
            burst_seconds: at_least_one(args.take("burst-seconds", 10)?, "burst-seconds")?,
        }),
        "reviews" => Command::Reviews(load::reviews::Options {
            count: at_least_one(args.take("count", 10_000)?, "count")?,
            requests: at_least_one(args.take("requests", 500)?, "requests")?,
        }),
        "forged" => Command::Forged(load::forged::Options {
            count: at_least_one(args.take("count", 100_000)?, "count")?,
        }),
        "flood" => Command::Flood(load::flood::Options {
            seconds: at_least_one(args.take("seconds", 10)?, "seconds")?,
            flooders: at_least_one(
                args.take("flooders", load::flood::DEFAULT_FLOODERS)?,
                "flooders",
            )?,
            rate: at_least_one(args.take("rate", load::flood::DEFAULT_RATE)?, "rate")?,
        }),
        "photo-bomb" => Command::PhotoBomb(load::photo_bomb::Options {
            uploads: at_least_one(args.take("uploads", 20)?, "uploads")?,
        }),
        "moderation" => Command::Moderation(load::moderation::Options {
            count: at_least_one(args.take("count", 100_000)?, "count")?,
            products: at_least_one(args.take("products", 1_000)?, "products")?,
            requests: at_least_one(args.take("requests", 50)?, "requests")?,
        }),
        other => return Err(format!("unknown subcommand {other:?}")),
    };
    args.finish()?;
    Ok(command)
}

fn at_least_one<T: PartialOrd + From<u8>>(value: T, name: &str) -> Result<T> {
    if value >= T::from(1) {
        Ok(value)
    } else {
        Err(format!("--{name} must be at least 1"))
    }
}
