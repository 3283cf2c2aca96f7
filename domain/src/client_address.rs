//! The address a request came from, as the server resolved it (the socket's
//! peer, or what trusted proxies forwarded), and the group rate limits key on.

use std::net::IpAddr;

/// The client's address: put into each request by the server's
/// `client_address` middleware, read by whatever limits or logs by address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// The key limits count under: an IPv4 address is one client; an IPv6
    /// address's /64 is one client, since one subscriber is usually handed a
    /// whole /64 and can pick any address in it for each request. An
    /// IPv4-mapped IPv6 address is the IPv4 address it carries.
    pub fn group(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(s: &str) -> String {
        ClientAddress(s.parse().unwrap()).group()
    }

    #[test]
    fn an_ipv6_64_is_one_client_and_an_ipv4_address_is_one() {
        assert_eq!(group("2001:db8:1:2::1"), group("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(group("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(group("2001:db8:1:2::1"), group("2001:db8:1:3::1"));
        assert_eq!(group("203.0.113.7"), "203.0.113.7");
        assert_ne!(group("203.0.113.7"), group("203.0.113.8"));
        assert_eq!(group("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
