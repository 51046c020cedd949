//! The client's address: the TCP peer, or, when the peer is one of the trusted reverse proxies
//! (`MAILLAGE_TRUSTED_PROXIES`), the rightmost hop of `Forwarded` / `X-Forwarded-For` that is not
//! itself a trusted proxy. Headers from anyone else are ignored: a client could write anything.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::{HeaderMap, header};

/// One address or a CIDR block (`10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_matches(
                u128::from(u32::from(net)),
                u128::from(u32::from(ip)),
                self.prefix,
                32,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn prefix_matches(net: u128, ip: u128, prefix: u8, bits: u32) -> bool {
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (net >> shift) == (ip >> shift)
}

/// An entry of the trusted proxies' list that is neither an address nor a block.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("« {0} » n'est ni une adresse IP ni un bloc CIDR")]
pub struct NotAnIpRange(pub String);

impl FromStr for IpRange {
    type Err = NotAnIpRange;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let refuse = || NotAnIpRange(text.to_string());
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network = address
            .parse::<IpAddr>()
            .map_err(|_| refuse())?
            .to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(refuse)?,
            None => bits,
        };
        Ok(Self { network, prefix })
    }
}

/// Parses a list written as `127.0.0.1, 10.0.0.0/8` (commas or spaces).
pub fn parse_list(text: &str) -> Result<Vec<IpRange>, NotAnIpRange> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(IpRange::from_str)
        .collect()
}

fn is_trusted(ip: IpAddr, trusted: &[IpRange]) -> bool {
    trusted.iter().any(|range| range.contains(ip))
}

/// The address to throttle and log for this request.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    // `Forwarded` (RFC 7239) when a proxy sent it, else the older `X-Forwarded-For`.
    let hops = forwarded_hops(headers);
    let hops = if hops.is_empty() {
        x_forwarded_for_hops(headers)
    } else {
        hops
    };
    // Each proxy appends the address it saw: walking from the right, the first hop that is not
    // one of ours is the client. A hop we cannot read stops the walk at the last known address.
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(*ip, trusted) => client = *ip,
            Some(ip) => return *ip,
            None => return client,
        }
    }
    client
}

fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
}

fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_values(headers, header::FORWARDED.as_str())
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_hop(value))
            })
        })
        .collect()
}

fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    header_values(headers, "x-forwarded-for")
        .map(parse_hop)
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`; `unknown` or an
/// obfuscated name gives `None`.
fn parse_hop(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    let ip = if let Some(rest) = value.strip_prefix('[') {
        rest.split(']').next()?.parse::<IpAddr>().ok()?
    } else if let Ok(ip) = value.parse::<IpAddr>() {
        ip
    } else {
        // An IPv4 address with a port.
        let (host, port) = value.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)?
    };
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn addresses_and_cidr_blocks_parse_and_match() {
        let list = parse_list("127.0.0.1, 10.0.0.0/8 fd00::/8").unwrap_or_default();
        assert_eq!(list.len(), 3);
        assert!(list[0].contains(ip("127.0.0.1")));
        assert!(!list[0].contains(ip("127.0.0.2")));
        assert!(list[1].contains(ip("10.200.3.4")));
        assert!(!list[1].contains(ip("11.0.0.1")));
        assert!(list[2].contains(ip("fd12::1")));
        assert!(!list[2].contains(ip("fe80::1")));
        // An IPv4 peer seen through an IPv6 socket still matches.
        assert!(list[0].contains(ip("::ffff:127.0.0.1")));
        assert!(
            "0.0.0.0/0"
                .parse::<IpRange>()
                .is_ok_and(|r| r.contains(ip("8.8.8.8")))
        );
    }

    #[test]
    fn bad_entries_are_refused_with_a_french_message() {
        for bad in ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "1.2.3"] {
            let error = parse_list(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("ni une adresse IP"), "{bad}: {error}");
        }
        assert_eq!(parse_list("  ").map(|l| l.len()), Ok(0));
    }

    #[test]
    fn headers_are_ignored_unless_the_peer_is_a_trusted_proxy() {
        let trusted = parse_list("10.0.0.1").unwrap_or_default();
        let sent = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_ip(ip("198.51.100.4"), &sent, &trusted),
            ip("198.51.100.4")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &sent, &[]), ip("10.0.0.1"));
        assert_eq!(
            client_ip(ip("10.0.0.1"), &sent, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = parse_list("10.0.0.0/8").unwrap_or_default();
        // The client forged the first entry; our proxies appended the rest.
        let sent = headers(&[
            ("x-forwarded-for", "1.1.1.1, 203.0.113.9"),
            ("x-forwarded-for", "10.0.0.7"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &sent, &trusted),
            ip("203.0.113.9")
        );
        // Only trusted hops: the leftmost one.
        let sent = headers(&[("x-forwarded-for", "10.1.1.1, 10.0.0.7")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &sent, &trusted), ip("10.1.1.1"));
        // An unreadable hop: the last address known.
        let sent = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.0.0.7")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &sent, &trusted), ip("10.0.0.7"));
        // No header at all: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_its_forms_are_read() {
        let trusted = parse_list("10.0.0.0/8").unwrap_or_default();
        let sent = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            (
                "forwarded",
                r#"for=192.0.2.60;proto=http, For="[2001:db8:cafe::17]:4711";by=10.0.0.1"#,
            ),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &sent, &trusted),
            ip("2001:db8:cafe::17")
        );
        let sent = headers(&[("forwarded", "for=192.0.2.60:8080, for=10.0.0.9")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &sent, &trusted), ip("192.0.2.60"));
        let sent = headers(&[("forwarded", "for=_hidden, for=10.0.0.9")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &sent, &trusted), ip("10.0.0.9"));
    }
}
