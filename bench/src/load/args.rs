//! The command line of `server-load`: a subcommand, then `--name value` options.

use super::Result;
use std::str::FromStr;

/// A subcommand and its options, taken one by one so that a misspelt one is reported.
#[derive(Debug)]
pub struct Args {
    /// The subcommand (`load`, `burst`, `reviews`, `forged`, `flood`, `photo-bomb`).
    pub command: String,
    options: Vec<(String, String)>,
}

impl Args {
    /// Reads `args` (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args> {
        let mut args = args.into_iter();
        let command = args
            .next()
            .ok_or("no subcommand: load, burst, reviews, forged, flood or photo-bomb")?;
        let mut options = Vec::new();
        while let Some(name) = args.next() {
            let Some(name) = name.strip_prefix("--") else {
                return Err(format!("unexpected argument {name:?}"));
            };
            let value = args.next().ok_or(format!("--{name} needs a value"))?;
            options.push((name.to_owned(), value));
        }
        Ok(Args { command, options })
    }

    /// Takes the option `name`, or `default` when it was not given.
    pub fn take<T: FromStr>(&mut self, name: &str, default: T) -> Result<T> {
        let Some(at) = self.options.iter().position(|(n, _)| n == name) else {
            return Ok(default);
        };
        let (_, value) = self.options.remove(at);
        value
            .parse()
            .map_err(|_| format!("--{name} {value:?} is not a valid value"))
    }

    /// Fails on any option no subcommand took.
    pub fn finish(self) -> Result<()> {
        match self.options.first() {
            Some((name, _)) => Err(format!("unknown option --{name} for {}", self.command)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Args> {
        Args::parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn options_are_taken_once_and_leftovers_refused() {
        let mut a = args("load --seconds 5").expect("parses");
        assert_eq!(a.command, "load");
        assert_eq!(a.take("seconds", 30u64), Ok(5));
        assert_eq!(a.take("concurrency", 4usize), Ok(4));
        assert!(a.finish().is_ok());

        let mut a = args("load --seconds five").expect("parses");
        assert!(a.take("seconds", 30u64).is_err());
        assert!(
            args("load --seconds 5 --typo 1")
                .expect("parses")
                .finish()
                .is_err()
        );
        assert!(args("load --seconds").is_err());
        assert!(args("load seconds 5").is_err());
        assert!(args("").is_err());
    }
}
