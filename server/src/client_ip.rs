//! The client's IP address, from the connection only: `X-Forwarded-For` and friends are set by
//! the client and so are never trusted here.

use axum::extract::ConnectInfo;
use axum::http::Extensions;
use std::net::{IpAddr, SocketAddr};

/// The peer address of the connection, when the server was started with connect info
/// (tests insert a `ConnectInfo<SocketAddr>` extension themselves).
pub(crate) fn client_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}
