//! Referral: the advocate's personal link and its share channels, the e-mail normalisation that
//! tells one person's addresses apart from a friend's, the fraud rules that decide whether a
//! referred order earns its rewards, and the results and pages of the endpoint contract. All
//! pure, so the server and the widget cannot disagree.

pub mod email;
pub mod fraud;
pub mod link;
pub mod page;
pub mod results;
