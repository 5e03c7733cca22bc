//! Who is at the other end of a request: the client's address and whether it came over HTTPS.
//!
//! The TCP peer is the client unless it is one of the configured trusted proxies (the load
//! balancer of `deploy/`); only then are `X-Forwarded-For` and `X-Forwarded-Proto` believed,
//! since anyone else can write them. `X-Forwarded-For` is read from the right, skipping trusted
//! proxies: the first address left is the one the nearest untrusted hop connected from.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// The proxies whose forwarding headers are believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A trusted-proxy entry that is neither an address nor a network.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)")]
pub struct BadProxy(String);

impl FromStr for TrustedProxies {
    type Err = BadProxy;

    /// A comma-separated list of addresses and networks; blanks are ignored.
    fn from_str(list: &str) -> Result<Self, BadProxy> {
        let mut networks = Vec::new();
        for entry in list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
        {
            let network = match entry.parse::<IpNet>() {
                Ok(network) => network,
                Err(_) => entry
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| BadProxy(entry.to_owned()))?,
            };
            networks.push(network);
        }
        Ok(TrustedProxies(networks))
    }
}

impl TrustedProxies {
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }
}

/// The client of a request, as far as the front can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// `None` where the connection's peer is not known (a router called without a socket).
    pub address: Option<IpAddr>,
    /// Whether the client's browser talks HTTPS (to this server, or to a trusted proxy).
    pub https: bool,
}

/// Where the front learns how it is served: set once by whoever starts it.
#[derive(Debug, Clone, Default)]
pub struct Served {
    pub trusted_proxies: TrustedProxies,
    /// The server itself speaks TLS.
    pub tls: bool,
    /// Where readers outside reach the desk (`--public-url`): the base of the claim pages a
    /// ClaimReview links to. `None` (only in tests; `up` and `service api` set their listen
    /// address) is [`DEFAULT_PUBLIC_URL`].
    pub public_url: Option<String>,
}

/// The public URL when none is set.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl Served {
    /// The base of the public claim pages, without a trailing `/`.
    pub fn public_url(&self) -> String {
        self.public_url
            .as_deref()
            .unwrap_or(DEFAULT_PUBLIC_URL)
            .trim_end_matches('/')
            .to_owned()
    }
}

/// The client of a request from `peer` carrying `headers` (pure: the extractor below feeds it).
pub fn client_of(headers: &HeaderMap, peer: Option<IpAddr>, served: &Served) -> Client {
    let trusted_peer = peer.is_some_and(|peer| served.trusted_proxies.contains(peer));
    if !trusted_peer {
        return Client {
            address: peer.map(|peer| peer.to_canonical()),
            https: served.tls,
        };
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .collect();
    let address = forwarded
        .iter()
        .rev()
        .find(|address| !served.trusted_proxies.contains(**address))
        .or(forwarded.first())
        .copied()
        .or(peer)
        .map(|address| address.to_canonical());
    // The nearest proxy appends its own view last.
    let proto = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .next_back();
    Client {
        address,
        https: served.tls || proto.is_some_and(|proto| proto.eq_ignore_ascii_case("https")),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client
where
    Served: axum::extract::FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let served = <Served as axum::extract::FromRef<S>>::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        Ok(client_of(&parts.headers, peer, &served))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn served(proxies: &str) -> Served {
        Served {
            trusted_proxies: proxies.parse().expect("proxies"),
            tls: false,
            public_url: None,
        }
    }

    fn forwarded(for_: &str, proto: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(for_).expect("value"),
        );
        headers.insert(
            "x-forwarded-proto",
            HeaderValue::from_str(proto).expect("value"),
        );
        headers
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let headers = forwarded("203.0.113.9", "https");
        // Straight from the client: its own headers are ignored.
        let direct = client_of(&headers, Some(ip("198.51.100.7")), &served("10.0.0.0/8"));
        assert_eq!(direct.address, Some(ip("198.51.100.7")));
        assert!(!direct.https);
        // Through the load balancer.
        let proxied = client_of(&headers, Some(ip("10.0.0.5")), &served("10.0.0.0/8"));
        assert_eq!(proxied.address, Some(ip("203.0.113.9")));
        assert!(proxied.https);
        // Nothing trusted by default.
        assert!(!client_of(&headers, Some(ip("10.0.0.5")), &Served::default()).https);
    }

    #[test]
    fn a_forged_left_entry_does_not_hide_the_real_client() {
        // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
        let headers = forwarded("1.2.3.4, 203.0.113.9, 10.0.0.7", "http, https");
        let client = client_of(&headers, Some(ip("10.0.0.5")), &served("10.0.0.0/8"));
        assert_eq!(client.address, Some(ip("203.0.113.9")));
        assert!(client.https, "the nearest proxy's word counts");
    }

    #[test]
    fn tls_is_https_and_mapped_addresses_are_plain() {
        let client = client_of(
            &HeaderMap::new(),
            Some(ip("::ffff:127.0.0.1")),
            &Served {
                trusted_proxies: "127.0.0.1".parse().expect("proxies"),
                tls: true,
                public_url: None,
            },
        );
        assert_eq!(client.address, Some(ip("127.0.0.1")));
        assert!(client.https);
    }

    #[test]
    fn proxy_lists_are_checked() {
        assert!("10.0.0.1, 192.168.0.0/16,, ::1"
            .parse::<TrustedProxies>()
            .is_ok());
        assert!("10.0.0.1, example.org".parse::<TrustedProxies>().is_err());
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
    }
}
