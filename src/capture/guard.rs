//! The address guard: a fetch never connects to this machine, its network,
//! or anything that is not a public unicast address, unless asked to.
//!
//! The check runs in the resolver, after DNS resolution and for every
//! redirect hop (ureq resolves each hop through it), so ureq only ever
//! connects to addresses that passed it. Literal IP hosts go through the
//! same resolver.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Why an address is refused: the class it falls in, as shown to users.
pub fn forbidden_class(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_class(v4),
        IpAddr::V6(v6) => v6_class(v6),
    }
}

fn v4_class(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if a == 100 && (b & 0xc0) == 64 {
        Some("shared (CGNAT)")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_broadcast() || a >= 240 {
        Some("reserved")
    } else {
        None
    }
}

fn v6_class(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.to_ipv4_mapped().is_some() {
        Some("IPv4-mapped IPv6")
    } else if seg[0] == 0 && seg[1] == 0 && seg[2] == 0 && seg[3] == 0 && seg[4] == 0 {
        // IPv4-compatible (deprecated) and other addresses in ::/80.
        Some("IPv4-compatible IPv6")
    } else if (seg[0] & 0xffc0) == 0xfe80 {
        Some("link-local")
    } else if (seg[0] & 0xffc0) == 0xfec0 {
        Some("site-local")
    } else if (seg[0] & 0xfe00) == 0xfc00 {
        Some("private (unique local)")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if seg[0] == 0x64 && seg[1] == 0xff9b {
        // NAT64 embeds an IPv4 address: judge that one.
        let v4 = Ipv4Addr::new(
            (seg[6] >> 8) as u8,
            seg[6] as u8,
            (seg[7] >> 8) as u8,
            seg[7] as u8,
        );
        v4_class(v4).map(|_| "NAT64 of a non-public IPv4")
    } else {
        None
    }
}

/// A resolver that resolves as ureq does, then refuses the host when any of
/// its addresses is not public (a host that resolves to one public and one
/// private address is refused too: either could be used).
#[derive(Debug, Default)]
pub struct GuardedResolver {
    inner: DefaultResolver,
}

/// The refusal, carried through ureq's error as its source.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {ip}, a {class} address")]
pub struct Refused {
    pub host: String,
    pub ip: IpAddr,
    pub class: &'static str,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        for a in addrs.iter() {
            if let Some(class) = forbidden_class(a.ip()) {
                return Err(ureq::Error::Other(Box::new(Refused {
                    host: uri.host().unwrap_or("").to_string(),
                    ip: a.ip(),
                    class,
                })));
            }
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<&'static str> {
        forbidden_class(s.parse().expect("address"))
    }

    #[test]
    fn refuses_every_non_public_class() {
        for (addr, want) in [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("::1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("fe80::1", "link-local"),
            ("100.64.0.1", "shared (CGNAT)"),
            ("100.127.255.254", "shared (CGNAT)"),
            ("224.0.0.1", "multicast"),
            ("ff02::1", "multicast"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("::", "unspecified"),
            ("::ffff:127.0.0.1", "IPv4-mapped IPv6"),
            ("::ffff:8.8.8.8", "IPv4-mapped IPv6"),
            ("::127.0.0.1", "IPv4-compatible IPv6"),
            ("fc00::1", "private (unique local)"),
            ("fd12:3456::1", "private (unique local)"),
            ("255.255.255.255", "reserved"),
            ("64:ff9b::10.0.0.1", "NAT64 of a non-public IPv4"),
        ] {
            assert_eq!(class(addr), Some(want), "{addr}");
        }
    }

    #[test]
    fn allows_public_addresses() {
        for addr in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "192.169.0.1",
            "2001:4860:4860::8888",
            "2606:4700::1111",
            "64:ff9b::8.8.8.8",
        ] {
            assert_eq!(class(addr), None, "{addr}");
        }
    }
}
