//! Who a request came from: the socket's peer, or, when that peer is one of
//! the proxies the operator named (`--trusted-proxies`), the address those
//! proxies forwarded in `X-Forwarded-For`. One middleware resolves it and
//! puts a `domain::ClientAddress` into the request; rate limits and logs
//! read that, never the headers.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use domain::ClientAddress;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed: IP addresses and CIDR
/// ranges. Empty (the default) believes no header: the peer is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of IPs and CIDRs ("127.0.0.1, 10.0.0.0/8");
    /// empty for none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{entry:?} is neither an IP address nor a CIDR range (like 10.0.0.0/8)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `address` is one of these proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the right
    /// (the entry the nearest proxy appended), each trusted hop hands over to
    /// the address it saw; the first hop not trusted is the client. Entries
    /// left of it are whatever the client claimed and are never read, so a
    /// forged leftmost entry changes nothing. An entry that is not an address
    /// stops the walk at the proxy that forwarded it.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        // Several X-Forwarded-For headers read as one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.into_iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match parse_hop(hop) {
                Some(address) => client = address,
                None => break,
            }
        }
        client
    }
}

/// An X-Forwarded-For entry: an address, perhaps with a port
/// ("203.0.113.7:5000", "[2001:db8::1]:5000").
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// An IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer)
/// is that IPv4 address, so "127.0.0.1" trusts it too.
fn canonical(address: IpAddr) -> IpAddr {
    address.to_canonical()
}

/// Resolves the request's client address (see [`TrustedProxies::client_of`])
/// and puts it into the request's extensions. A request that did not come
/// over TCP (router tests without a peer) gets none.
pub async fn resolve_client_address(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = trusted.client_of(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in xff {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_list_takes_addresses_and_ranges_and_refuses_anything_else() {
        let trusted = TrustedProxies::parse(" 127.0.0.1, 10.0.0.0/8 ,::1,").unwrap();
        assert!(trusted.trusts(ip("127.0.0.1")));
        assert!(trusted.trusts(ip("10.200.3.4")));
        assert!(trusted.trusts(ip("::1")));
        assert!(trusted.trusts(ip("::ffff:127.0.0.1")));
        assert!(!trusted.trusts(ip("127.0.0.2")));
        assert_eq!(TrustedProxies::parse("").unwrap(), TrustedProxies::default());
        assert!(TrustedProxies::parse("localhost").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let proxy = TrustedProxies::parse("127.0.0.1").unwrap();
        let forged = headers(&["198.51.100.9"]);
        assert_eq!(none.client_of(ip("127.0.0.1"), &forged), ip("127.0.0.1"));
        assert_eq!(proxy.client_of(ip("203.0.113.5"), &forged), ip("203.0.113.5"));
        assert_eq!(proxy.client_of(ip("127.0.0.1"), &forged), ip("198.51.100.9"));
        // A trusted proxy that sent no header is the client as far as we know.
        assert_eq!(proxy.client_of(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"));
    }

    #[test]
    fn the_walk_goes_from_the_right_and_stops_at_the_first_untrusted_hop() {
        let proxies = TrustedProxies::parse("127.0.0.1,10.0.0.0/8").unwrap();
        // The client claimed 1.1.1.1; nginx appended the address it saw.
        let chain = headers(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(proxies.client_of(ip("127.0.0.1"), &chain), ip("203.0.113.7"));
        // Two trusted hops, headers split over two lines.
        let chain = headers(&["1.1.1.1, 203.0.113.7", "10.1.2.3"]);
        assert_eq!(proxies.client_of(ip("127.0.0.1"), &chain), ip("203.0.113.7"));
        // Ports and brackets are allowed; garbage stops at the proxy.
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &headers(&["[2001:db8::1]:4711"])),
            ip("2001:db8::1")
        );
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &headers(&["unknown"])),
            ip("127.0.0.1")
        );
    }
}
