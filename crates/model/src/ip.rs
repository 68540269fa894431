//! Client IP addresses in every form Microsoft writes them.
//!
//! The unified audit log alone writes `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`,
//! `2001:db8::1`, `::ffff:1.2.3.4`, and sometimes a host name or `localhost` (see the Elastic
//! `test-ip-formats-events.json` corpus). Detections need one canonical `IpAddr`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A parsed client address: the IP and the port when one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// The address; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is returned as IPv4.
    pub ip: IpAddr,
    /// The port, if the text carried one.
    pub port: Option<u16>,
}

/// Parses a client IP in any of Microsoft's forms. Returns `None` for blanks, host names and
/// other text that is not an address (the caller keeps the raw text in the record).
pub fn parse_client_ip(text: &str) -> Option<ClientAddr> {
    let t = text.trim().trim_matches('"');
    if t.is_empty() {
        return None;
    }
    if t.eq_ignore_ascii_case("localhost") {
        return Some(ClientAddr {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
        });
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ClientAddr {
            ip: canonical(ip),
            port: None,
        });
    }
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return Some(ClientAddr {
            ip: canonical(sa.ip()),
            port: Some(sa.port()),
        });
    }
    // `[v4]:port` (IPv4 in brackets, as the unified audit log writes it).
    if let Some((inner, port)) = t.strip_prefix('[').and_then(|r| r.split_once("]:"))
        && let (Ok(ip), Ok(port)) = (inner.parse::<IpAddr>(), port.parse::<u16>())
    {
        return Some(ClientAddr {
            ip: canonical(ip),
            port: Some(port),
        });
    }
    // `[v6]` without a port.
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return inner.parse::<IpAddr>().ok().map(|ip| ClientAddr {
            ip: canonical(ip),
            port: None,
        });
    }
    None
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(String, Option<u16>)> {
        parse_client_ip(s).map(|c| (c.ip.to_string(), c.port))
    }

    #[test]
    fn every_microsoft_form() {
        assert_eq!(p("81.2.69.144"), Some(("81.2.69.144".into(), None)));
        assert_eq!(
            p("81.2.69.144:5678"),
            Some(("81.2.69.144".into(), Some(5678)))
        );
        assert_eq!(
            p("[2001:db8::1]:443"),
            Some(("2001:db8::1".into(), Some(443)))
        );
        assert_eq!(p("2001:db8::1"), Some(("2001:db8::1".into(), None)));
        assert_eq!(p("[2001:db8::1]"), Some(("2001:db8::1".into(), None)));
        assert_eq!(
            p("[10.11.12.13]:12345"),
            Some(("10.11.12.13".into(), Some(12345)))
        );
        assert_eq!(p("::ffff:10.0.0.1"), Some(("10.0.0.1".into(), None)));
        assert_eq!(p("localhost"), Some(("127.0.0.1".into(), None)));
        assert_eq!(p(""), None);
        assert_eq!(p("mail.example.com"), None);
    }
}
