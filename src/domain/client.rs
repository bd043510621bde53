//! Who a request comes from, for per-client limits: an IPv4 address, or an IPv6 /64 (one household or
//! phone is given a whole /64, so counting single IPv6 addresses would give an attacker billions of
//! clients); and the reverse proxies whose forwarded address is believed, as addresses and ranges.

use std::net::{IpAddr, Ipv6Addr};

/// The key a client's attempts and connections are counted under.
pub fn client_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as a dual-stack socket reports IPv4 peers) as IPv4.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The host in an address's authority part: "192.168.1.10:8080" → "192.168.1.10", "[fd00::5]:8080" →
/// "fd00::5", "hub.lan" → "hub.lan". Anything after the authority (a path) is not looked at.
pub fn host_of(authority: &str) -> &str {
    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    }
}

/// An address range: "10.0.0.5", "10.0.0.0/8", "fd00::/8", "::ffff:10.0.0.5".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    base: IpAddr,
    prefix: u8,
}

impl Range {
    pub fn parse(text: &str) -> Result<Range, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| format!("\"{text}\" is not an IP address or range"))?;
        let mapped = matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some());
        let ip = canonical(ip);
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => {
                let p: u8 = p.parse().map_err(|_| format!("\"{text}\": the prefix length is not a number"))?;
                // A mapped range is written with the IPv6 prefix (::ffff:10.0.0.0/104).
                let p = if mapped { p.checked_sub(96).unwrap_or(u8::MAX) } else { p };
                if p > max {
                    return Err(format!("\"{text}\": the prefix length is longer than the address"));
                }
                p
            }
        };
        Ok(Range { base: ip, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> (u128, u8) {
            match ip {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        };
        let (want, width) = bits(self.base);
        let (have, have_width) = bits(canonical(ip));
        if width != have_width {
            return false;
        }
        let shift = u32::from(width - self.prefix);
        shift >= 128 || (want >> shift) == (have >> shift)
    }
}

/// The proxies whose X-Forwarded-For is believed. Few ranges in practice (one or two proxies), so a
/// short list is checked; nothing is parsed per request.
#[derive(Debug, Clone, Default)]
pub struct Proxies(Vec<Range>);

impl Proxies {
    pub fn parse(list: &[String]) -> Result<Proxies, String> {
        list.iter().map(|t| Range::parse(t)).collect::<Result<Vec<_>, _>>().map(Proxies)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|r| r.contains(ip))
    }
}

/// The client a request stands for: the peer, or the last address a trusted proxy forwarded.
pub fn client_of(peer: IpAddr, forwarded_for: Option<&str>, proxies: &Proxies) -> IpAddr {
    if proxies.trusts(peer) {
        let last = forwarded_for.and_then(|f| f.rsplit(',').next()).map(str::trim);
        if let Some(ip) = last.and_then(|s| s.parse::<IpAddr>().ok()) {
            return ip;
        }
    }
    peer
}

/// The unspecified IPv6 address, for requests whose peer is unknown (in-process calls).
pub const NO_PEER: IpAddr = IpAddr::V6(Ipv6Addr::UNSPECIFIED);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_an_authority() {
        for (authority, host) in [
            ("192.168.1.10:8080", "192.168.1.10"),
            ("[fd00::5]:8080", "fd00::5"),
            ("hub.lan", "hub.lan"),
            ("hub.lan:443/t/abc", "hub.lan"),
            ("", ""),
        ] {
            assert_eq!(host_of(authority), host, "{authority}");
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_is_grouped_by_64_and_mapped_ipv4_is_ipv4() {
        assert_eq!(client_key(ip("2001:db8:1:2:aaaa::1")), client_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(client_key(ip("2001:db8:1:2::1")), client_key(ip("2001:db8:1:3::1")));
        assert_eq!(client_key(ip("::ffff:192.168.1.7")), "ip:192.168.1.7");
        assert_eq!(client_key(ip("192.168.1.7")), "ip:192.168.1.7");
    }

    #[test]
    fn ranges_take_addresses_prefixes_and_mapped_forms() {
        let p = Proxies::parse(&[
            "10.0.0.0/8".into(),
            "192.168.1.5".into(),
            "fd00::/8".into(),
            "::ffff:172.16.0.0/108".into(),
        ])
        .unwrap();
        assert!(p.trusts(ip("10.200.3.4")));
        assert!(p.trusts(ip("::ffff:10.1.1.1")), "a mapped peer matches an IPv4 range");
        assert!(p.trusts(ip("192.168.1.5")));
        assert!(!p.trusts(ip("192.168.1.6")));
        assert!(p.trusts(ip("fd12::1")));
        assert!(!p.trusts(ip("fe80::1")));
        assert!(p.trusts(ip("172.16.9.9")) && !p.trusts(ip("172.32.0.1")));
        assert!(Range::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0.1/x", "fd00::/129"] {
            assert!(Range::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_trusted_proxy_forwards_and_the_last_hop_counts() {
        let p = Proxies::parse(&["10.0.0.1".into()]).unwrap();
        assert_eq!(client_of(ip("10.0.0.1"), Some("1.1.1.1, 203.0.113.9"), &p), ip("203.0.113.9"));
        assert_eq!(client_of(ip("10.0.0.2"), Some("203.0.113.9"), &p), ip("10.0.0.2"));
        assert_eq!(client_of(ip("10.0.0.1"), Some("garbage"), &p), ip("10.0.0.1"));
    }
}
