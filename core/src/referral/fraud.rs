//! Whether a referred order earns the two-sided reward. A reward is granted only for an order the
//! store's backend confirmed (a verified order token) and a landing the server recorded itself,
//! never on a client's claim alone; obvious self-referrals earn nothing, and patterns that are
//! only suspicious wait for a person.

/// The store's limits, from its referral config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FraudLimits {
    /// Referred orders one device may bring before the next is held for review.
    pub per_device: u32,
    /// Referred orders one IP address may bring before the next is held for review.
    pub per_ip: u32,
}

impl Default for FraudLimits {
    fn default() -> Self {
        FraudLimits {
            per_device: 2,
            per_ip: 5,
        }
    }
}

/// Who shared the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advocate {
    /// Their member or order id.
    pub id: String,
    /// The fingerprint of their e-mail ([`super::email::fingerprint`]), when the store signed one.
    pub email: Option<String>,
}

/// The landing an order is credited against: the latest one the server recorded, by its own
/// clock, through the order's code from the order's device. The device id is the browser's own
/// random label, so "the same device" means only that the browser that ordered is the one that
/// landed, as far as its label goes: a landing reported from one device credits no order from
/// another, and a made-up device id has no landing until it reports one, which the server then
/// sees arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// Recorded before the order, inside the attribution window.
    InWindow,
    /// Recorded, but longer before the order than the attribution window.
    OutsideWindow,
    /// None recorded.
    NotRecorded,
}

impl Landing {
    /// The landing recorded at `recorded_at` (ms, the server's clock; `None`: none was) for an
    /// order that arrived at `order_at` (ms, the same clock), under a window of `window_ms`.
    pub fn judge(recorded_at: Option<u64>, order_at: u64, window_ms: u64) -> Landing {
        match recorded_at {
            None => Landing::NotRecorded,
            Some(at) if at.saturating_add(window_ms) < order_at => Landing::OutsideWindow,
            Some(_) => Landing::InWindow,
        }
    }
}

/// The order a referred friend placed, as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferredOrder {
    /// The store's backend signed this order (a verified order token).
    pub confirmed: bool,
    /// The buyer's member id, if signed in.
    pub buyer: Option<String>,
    /// The fingerprint of the buyer's e-mail from the signed order ([`super::email::fingerprint`]).
    pub email: Option<String>,
    /// Orders the buyer had placed before this one (0: a first order); `None` if the store's
    /// token does not say.
    pub prior_orders: Option<u32>,
    /// The landing the server recorded for it.
    pub landing: Landing,
    /// Referred orders already counted from the buyer's device.
    pub from_device: u32,
    /// Referred orders already counted from the buyer's IP address.
    pub from_ip: u32,
}

/// Why a referred order earns nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReward {
    /// The store's backend has not confirmed the order.
    Unconfirmed,
    /// The advocate bought through their own link (same member id).
    SameMember,
    /// The buyer's e-mail is the advocate's, spelt differently.
    SameEmail,
    /// The buyer had ordered before: referrals reward new customers.
    NotFirstOrder,
}

/// Why a referred order waits for a person to approve or reject it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suspicion {
    /// The server recorded no landing through this code from this device before the order.
    NoLanding,
    /// The landing the server recorded from this device is older than the attribution window.
    OldLanding,
    /// More referred orders from this device than the store allows.
    ManyFromDevice,
    /// More referred orders from this IP address than the store allows.
    ManyFromIp,
    /// The store's token does not say whether this is the buyer's first order.
    HistoryUnknown,
}

/// What a referred order earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Both sides get their reward.
    Reward,
    /// Held for review (`referrals approve|reject`); recorded, never silently dropped.
    Review(Suspicion),
    /// Recorded, with why it earns nothing.
    NoReward(NoReward),
}

impl Verdict {
    /// The machine-readable code stored with the referral and shown by the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Reward => "rewarded",
            Verdict::Review(Suspicion::NoLanding) => "review_no_landing",
            Verdict::Review(Suspicion::OldLanding) => "review_old_landing",
            Verdict::Review(Suspicion::ManyFromDevice) => "review_device",
            Verdict::Review(Suspicion::ManyFromIp) => "review_ip",
            Verdict::Review(Suspicion::HistoryUnknown) => "review_history",
            Verdict::NoReward(NoReward::Unconfirmed) => "unconfirmed",
            Verdict::NoReward(NoReward::SameMember) => "self_member",
            Verdict::NoReward(NoReward::SameEmail) => "self_email",
            Verdict::NoReward(NoReward::NotFirstOrder) => "not_first_order",
        }
    }
}

/// Judges `order` referred by `advocate` under `limits`. Rules that prove a self-referral come
/// first; a missing or old landing, an unknown history and the limits only make an order
/// suspicious.
pub fn judge(advocate: &Advocate, order: &ReferredOrder, limits: FraudLimits) -> Verdict {
    if !order.confirmed {
        return Verdict::NoReward(NoReward::Unconfirmed);
    }
    if order.buyer.as_deref() == Some(advocate.id.as_str()) {
        return Verdict::NoReward(NoReward::SameMember);
    }
    if advocate.email.is_some() && advocate.email == order.email {
        return Verdict::NoReward(NoReward::SameEmail);
    }
    if order.prior_orders.is_some_and(|n| n > 0) {
        return Verdict::NoReward(NoReward::NotFirstOrder);
    }
    match order.landing {
        Landing::InWindow => {}
        Landing::NotRecorded => return Verdict::Review(Suspicion::NoLanding),
        Landing::OutsideWindow => return Verdict::Review(Suspicion::OldLanding),
    }
    if order.prior_orders.is_none() {
        return Verdict::Review(Suspicion::HistoryUnknown);
    }
    if order.from_device >= limits.per_device {
        return Verdict::Review(Suspicion::ManyFromDevice);
    }
    if order.from_ip >= limits.per_ip {
        return Verdict::Review(Suspicion::ManyFromIp);
    }
    Verdict::Reward
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referral::email;

    fn advocate() -> Advocate {
        Advocate {
            id: "member-mei".into(),
            email: email::fingerprint("Mei.Chen@gmail.com"),
        }
    }

    fn friend_order() -> ReferredOrder {
        ReferredOrder {
            confirmed: true,
            buyer: Some("member-lin".into()),
            email: email::fingerprint("lin@example.com"),
            prior_orders: Some(0),
            landing: Landing::InWindow,
            from_device: 0,
            from_ip: 0,
        }
    }

    fn judged(edit: impl FnOnce(&mut ReferredOrder)) -> Verdict {
        let mut order = friend_order();
        edit(&mut order);
        judge(&advocate(), &order, FraudLimits::default())
    }

    #[test]
    fn a_friends_confirmed_first_order_is_rewarded() {
        assert_eq!(judged(|_| {}), Verdict::Reward);
        assert_eq!(
            judged(|o| o.buyer = None),
            Verdict::Reward,
            "a guest checkout counts"
        );
        assert_eq!(judged(|o| o.email = None), Verdict::Reward);
    }

    #[test]
    fn only_a_confirmed_order_earns_anything() {
        assert_eq!(
            judged(|o| o.confirmed = false),
            Verdict::NoReward(NoReward::Unconfirmed)
        );
    }

    #[test]
    fn self_referrals_earn_nothing() {
        assert_eq!(
            judged(|o| o.buyer = Some("member-mei".into())),
            Verdict::NoReward(NoReward::SameMember)
        );
        for spelling in [
            "meichen@gmail.com",
            "mei.chen+deal@googlemail.com",
            " MEICHEN@GMAIL.COM",
        ] {
            assert_eq!(
                judged(|o| o.email = email::fingerprint(spelling)),
                Verdict::NoReward(NoReward::SameEmail),
                "{spelling}"
            );
        }
        assert_eq!(
            judged(|o| o.prior_orders = Some(1)),
            Verdict::NoReward(NoReward::NotFirstOrder)
        );
    }

    #[test]
    fn an_order_of_unknown_history_waits_for_review() {
        assert_eq!(
            judged(|o| o.prior_orders = None),
            Verdict::Review(Suspicion::HistoryUnknown)
        );
        assert_eq!(
            judged(|o| {
                o.prior_orders = None;
                o.buyer = Some("member-mei".into());
            }),
            Verdict::NoReward(NoReward::SameMember)
        );
    }

    #[test]
    fn only_a_landing_the_server_recorded_inside_the_window_earns_a_reward() {
        assert_eq!(
            judged(|o| o.landing = Landing::NotRecorded),
            Verdict::Review(Suspicion::NoLanding)
        );
        assert_eq!(
            judged(|o| o.landing = Landing::OutsideWindow),
            Verdict::Review(Suspicion::OldLanding)
        );
        // A missing landing is named before an unknown history; proof still outranks both.
        assert_eq!(
            judged(|o| {
                o.landing = Landing::NotRecorded;
                o.prior_orders = None;
            }),
            Verdict::Review(Suspicion::NoLanding)
        );
        assert_eq!(
            judged(|o| {
                o.landing = Landing::NotRecorded;
                o.email = email::fingerprint("meichen@gmail.com");
            }),
            Verdict::NoReward(NoReward::SameEmail)
        );
    }

    #[test]
    fn a_landing_counts_for_the_window_after_the_server_recorded_it() {
        const DAY: u64 = 24 * 60 * 60 * 1000;
        let order_at = 100 * DAY;
        let window = 30 * DAY;
        assert_eq!(Landing::judge(None, order_at, window), Landing::NotRecorded);
        assert_eq!(
            Landing::judge(Some(order_at - window), order_at, window),
            Landing::InWindow,
            "the last day counts"
        );
        assert_eq!(
            Landing::judge(Some(order_at - window - 1), order_at, window),
            Landing::OutsideWindow
        );
        assert_eq!(
            Landing::judge(Some(order_at), order_at, window),
            Landing::InWindow,
            "landed and ordered in one batch"
        );
    }

    #[test]
    fn advocates_without_an_email_never_match_buyers_without_one() {
        let anonymous = Advocate {
            id: "order:1001".into(),
            email: None,
        };
        let mut order = friend_order();
        order.email = None;
        assert_eq!(
            judge(&anonymous, &order, FraudLimits::default()),
            Verdict::Reward
        );
    }

    #[test]
    fn many_orders_from_one_device_or_address_wait_for_review() {
        let limits = FraudLimits::default();
        assert_eq!(
            judged(|o| o.from_device = limits.per_device - 1),
            Verdict::Reward
        );
        assert_eq!(
            judged(|o| o.from_device = limits.per_device),
            Verdict::Review(Suspicion::ManyFromDevice)
        );
        assert_eq!(
            judged(|o| o.from_ip = limits.per_ip),
            Verdict::Review(Suspicion::ManyFromIp)
        );
        // Proof of a self-referral outranks mere suspicion.
        assert_eq!(
            judged(|o| {
                o.from_ip = 99;
                o.prior_orders = Some(3);
            }),
            Verdict::NoReward(NoReward::NotFirstOrder)
        );
    }

    #[test]
    fn every_verdict_has_its_own_code() {
        let all = [
            Verdict::Reward,
            Verdict::Review(Suspicion::NoLanding),
            Verdict::Review(Suspicion::OldLanding),
            Verdict::Review(Suspicion::ManyFromDevice),
            Verdict::Review(Suspicion::ManyFromIp),
            Verdict::Review(Suspicion::HistoryUnknown),
            Verdict::NoReward(NoReward::Unconfirmed),
            Verdict::NoReward(NoReward::SameMember),
            Verdict::NoReward(NoReward::SameEmail),
            Verdict::NoReward(NoReward::NotFirstOrder),
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|v| v.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
