//! The prize draw: each prize has a published chance and a budget; one uniform roll picks at
//! most one prize. A prize whose budget is spent turns its share into "thanks for playing"
//! rather than raising everyone else's chances, so the published odds never overstate a prize.

use std::fmt;

/// Chances are in parts per million, so odds like 0.5% are exact.
pub const ONE: u32 = 1_000_000;

/// One prize's chance and what is left of its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrizeOdds {
    /// The chance of winning it on one redemption, in parts per million.
    pub chance_ppm: u32,
    /// Units left; `None`: unlimited.
    pub remaining: Option<u64>,
}

/// What one redemption won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// The prize at this index of the table.
    Prize(usize),
    /// Thanks for playing.
    Nothing,
}

/// Why a prize table was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OddsError {
    /// The chances add up to more than one.
    OverOne,
}

impl fmt::Display for OddsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OddsError::OverOne => f.write_str("the prizes' chances add up to more than 100%"),
        }
    }
}

/// Checks that a table's chances fit in one.
pub fn check(table: &[PrizeOdds]) -> Result<(), OddsError> {
    let total: u64 = table.iter().map(|p| u64::from(p.chance_ppm)).sum();
    if total > u64::from(ONE) {
        Err(OddsError::OverOne)
    } else {
        Ok(())
    }
}

/// A uniform roll in `0..ONE` from 64 random bits (multiply-shift: bias below 2^-44).
pub fn roll(random: u64) -> u32 {
    ((u128::from(random) * u128::from(ONE)) >> 64) as u32
}

/// The prize `roll` (in `0..ONE`) lands on: prizes take consecutive slices of the range in
/// table order; a spent prize's slice and the rest of the range win nothing.
pub fn draw(table: &[PrizeOdds], roll: u32) -> Drawn {
    let mut start = 0u64;
    for (index, prize) in table.iter().enumerate() {
        let end = start + u64::from(prize.chance_ppm);
        if u64::from(roll) < end {
            return match prize.remaining {
                Some(0) => Drawn::Nothing,
                _ => Drawn::Prize(index),
            };
        }
        start = end;
    }
    Drawn::Nothing
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64, deterministic so a failure can be replayed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    fn table() -> Vec<PrizeOdds> {
        vec![
            // 1% free gift, 5% 20% off, 20% 5% off; the rest thanks.
            PrizeOdds {
                chance_ppm: 10_000,
                remaining: None,
            },
            PrizeOdds {
                chance_ppm: 50_000,
                remaining: None,
            },
            PrizeOdds {
                chance_ppm: 200_000,
                remaining: None,
            },
        ]
    }

    #[test]
    fn slices_are_consecutive_and_the_rest_wins_nothing() {
        let t = table();
        assert_eq!(draw(&t, 0), Drawn::Prize(0));
        assert_eq!(draw(&t, 9_999), Drawn::Prize(0));
        assert_eq!(draw(&t, 10_000), Drawn::Prize(1));
        assert_eq!(draw(&t, 59_999), Drawn::Prize(1));
        assert_eq!(draw(&t, 60_000), Drawn::Prize(2));
        assert_eq!(draw(&t, 259_999), Drawn::Prize(2));
        assert_eq!(draw(&t, 260_000), Drawn::Nothing);
        assert_eq!(draw(&t, ONE - 1), Drawn::Nothing);
        assert_eq!(roll(0), 0);
        assert_eq!(roll(u64::MAX), ONE - 1);
    }

    #[test]
    fn draws_follow_the_published_odds_within_three_sigma() {
        let t = table();
        let n = 100_000u32;
        let mut wins = [0u32; 4];
        let mut rng = Rng(42);
        for _ in 0..n {
            match draw(&t, roll(rng.next())) {
                Drawn::Prize(i) => wins[i] += 1,
                Drawn::Nothing => wins[3] += 1,
            }
        }
        let chances = [0.01, 0.05, 0.20, 0.74];
        for (i, p) in chances.iter().enumerate() {
            let expected = f64::from(n) * p;
            let sigma = (f64::from(n) * p * (1.0 - p)).sqrt();
            let got = f64::from(wins[i]);
            assert!(
                (got - expected).abs() <= 3.0 * sigma,
                "slot {i}: {got} vs {expected} ± {}",
                3.0 * sigma
            );
        }
    }

    #[test]
    fn a_budget_is_never_exceeded() {
        let mut t = table();
        t[0].remaining = Some(25);
        t[1].remaining = Some(100);
        let budgets = [25u64, 100];
        let mut given = [0u64; 3];
        let mut rng = Rng(7);
        for _ in 0..100_000 {
            if let Drawn::Prize(i) = draw(&t, roll(rng.next())) {
                given[i] += 1;
                if let Some(left) = t[i].remaining.as_mut() {
                    *left -= 1;
                }
            }
        }
        assert_eq!(given[0], budgets[0], "the gift ran out, exactly");
        assert_eq!(given[1], budgets[1]);
        assert!(given[2] > 15_000, "unlimited prizes keep their odds");
    }

    #[test]
    fn tables_over_one_are_refused() {
        assert_eq!(check(&table()), Ok(()));
        let over = vec![
            PrizeOdds {
                chance_ppm: 600_000,
                remaining: None,
            };
            2
        ];
        assert_eq!(check(&over), Err(OddsError::OverOne));
    }
}
