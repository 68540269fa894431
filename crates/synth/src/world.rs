//! The synthetic Internet the tenant lives in: places, networks (CIDR → place + ASN) and the
//! addresses drawn from them.
//!
//! Every address the generator writes comes from one of these networks, and `geoip.mmdb` is
//! built from the same table, so a GeoIP lookup of any generated address succeeds. All IPv4
//! ranges are documentation or benchmarking blocks (RFC 5737 `192.0.2.0/24`, `198.51.100.0/24`,
//! `203.0.113.0/24`; RFC 2544 `198.18.0.0/15`) and IPv6 comes from `2001:db8::/32` (RFC 3849);
//! ASNs are the documentation ASNs (RFC 5398). Nothing here describes a real network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::rng::Gen;

/// A city with the fields Entra writes in `location`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    /// `location.city`.
    pub city: &'static str,
    /// `location.state`.
    pub state: &'static str,
    /// `location.countryOrRegion` (ISO alpha-2).
    pub country: &'static str,
    /// English country name for the GeoIP record.
    pub country_name: &'static str,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

const fn place(
    city: &'static str,
    state: &'static str,
    country: &'static str,
    country_name: &'static str,
    lat: f64,
    lon: f64,
) -> Place {
    Place {
        city,
        state,
        country,
        country_name,
        lat,
        lon,
    }
}

/// One network of the synthetic Internet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Network {
    /// Stable key used by the scenario.
    pub key: &'static str,
    /// First address (IPv4 or IPv6).
    pub base: IpAddr,
    /// Prefix length.
    pub prefix: u8,
    /// Where it is.
    pub place: Place,
    /// Autonomous system number (documentation range).
    pub asn: u32,
    /// Autonomous system organization.
    pub org: &'static str,
}

const TOKYO: Place = place("Tokyo", "Tokyo", "JP", "Japan", 35.6895, 139.6917);
const CHIYODA: Place = place("Chiyoda", "Tokyo", "JP", "Japan", 35.694, 139.7536);
const NAGOYA: Place = place("Nagoya", "Aichi", "JP", "Japan", 35.1815, 136.9066);
const TOYOTA: Place = place("Toyota", "Aichi", "JP", "Japan", 35.0833, 137.1561);
const OSAKA: Place = place("Osaka", "Osaka", "JP", "Japan", 34.6937, 135.5023);
const YOKOHAMA: Place = place("Yokohama", "Kanagawa", "JP", "Japan", 35.4437, 139.638);
const HANOI: Place = place("Hanoi", "Ha Noi", "VN", "Vietnam", 21.0285, 105.8542);
const HCMC: Place = place(
    "Ho Chi Minh City",
    "Ho Chi Minh",
    "VN",
    "Vietnam",
    10.8231,
    106.6297,
);
const SINGAPORE: Place = place(
    "Singapore",
    "Singapore",
    "SG",
    "Singapore",
    1.3521,
    103.8198,
);
const DETROIT: Place = place(
    "Detroit",
    "Michigan",
    "US",
    "United States",
    42.3314,
    -83.0458,
);
const SAN_JOSE: Place = place(
    "San Jose",
    "California",
    "US",
    "United States",
    37.3382,
    -121.8863,
);
const MUNICH: Place = place("Munich", "Bavaria", "DE", "Germany", 48.1351, 11.582);
const BANGKOK: Place = place("Bangkok", "Bangkok", "TH", "Thailand", 13.7563, 100.5018);
const SHANGHAI: Place = place("Shanghai", "Shanghai", "CN", "China", 31.2304, 121.4737);
const SEOUL: Place = place("Seoul", "Seoul", "KR", "South Korea", 37.5665, 126.978);
const ASHBURN: Place = place(
    "Ashburn",
    "Virginia",
    "US",
    "United States",
    39.0438,
    -77.4874,
);
const AMSTERDAM: Place = place(
    "Amsterdam",
    "North Holland",
    "NL",
    "Netherlands",
    52.3676,
    4.9041,
);
const DUBLIN: Place = place("Dublin", "Leinster", "IE", "Ireland", 53.3498, -6.2603);

const fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

const fn v6(a: u16, b: u16, c: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0))
}

macro_rules! net {
    // The last argument names the network's role in the scenario (documentation only).
    ($key:expr, $base:expr, $prefix:expr, $place:expr, $asn:expr, $org:expr, $role:ident) => {
        Network {
            key: $key,
            base: $base,
            prefix: $prefix,
            place: $place,
            asn: $asn,
            org: $org,
        }
    };
}

/// Every network of the synthetic Internet. Non-overlapping by construction (checked in tests
/// and by the mmdb writer).
pub(crate) const NETWORKS: &[Network] = &[
    net!(
        "corp-tokyo",
        v4(203, 0, 113, 0),
        26,
        CHIYODA,
        64500,
        "Example Manufacturing Co., Ltd.",
        Corporate
    ),
    net!(
        "corp-nagoya",
        v4(203, 0, 113, 64),
        26,
        TOYOTA,
        64500,
        "Example Manufacturing Co., Ltd.",
        Corporate
    ),
    net!(
        "vpn-sg",
        v4(198, 51, 100, 0),
        25,
        SINGAPORE,
        64501,
        "Example Cloud VPN Pte. Ltd.",
        Vpn
    ),
    net!(
        "mail-partners-jp",
        v4(198, 51, 100, 128),
        26,
        OSAKA,
        64502,
        "Example Partner Mail K.K.",
        MailServer
    ),
    net!(
        "mail-newsletter",
        v4(198, 51, 100, 192),
        27,
        DUBLIN,
        64503,
        "Example Mailing Service Ltd.",
        MailServer
    ),
    net!(
        "mail-eop",
        v4(198, 51, 100, 224),
        27,
        DUBLIN,
        64504,
        "Example Online Protection",
        MailServer
    ),
    net!(
        "attacker-us",
        v4(192, 0, 2, 0),
        26,
        ASHBURN,
        64505,
        "Example Hosting LLC",
        AttackerHosting
    ),
    net!(
        "spray-nl",
        v4(192, 0, 2, 64),
        26,
        AMSTERDAM,
        64506,
        "Example Bulletproof B.V.",
        SprayHosting
    ),
    net!(
        "hotel-kr",
        v4(192, 0, 2, 128),
        26,
        SEOUL,
        64507,
        "Example Hotel Networks Korea",
        Travel
    ),
    net!(
        "isp-tokyo",
        v4(198, 18, 0, 0),
        20,
        TOKYO,
        64508,
        "Example Hikari Tokyo",
        HomeIsp
    ),
    net!(
        "isp-aichi",
        v4(198, 18, 16, 0),
        20,
        NAGOYA,
        64509,
        "Example Chubu Net",
        HomeIsp
    ),
    net!(
        "isp-kanagawa",
        v4(198, 18, 32, 0),
        20,
        YOKOHAMA,
        64508,
        "Example Hikari Tokyo",
        HomeIsp
    ),
    net!(
        "mobile-a",
        v4(198, 18, 48, 0),
        20,
        TOKYO,
        64510,
        "Example Mobile A",
        Mobile
    ),
    net!(
        "mobile-b",
        v4(198, 18, 64, 0),
        20,
        OSAKA,
        64511,
        "Example Mobile B",
        Mobile
    ),
    net!(
        "mobile-c",
        v4(198, 18, 80, 0),
        20,
        TOKYO,
        65536,
        "Example Mobile C",
        Mobile
    ),
    net!(
        "isp-hanoi",
        v4(198, 18, 96, 0),
        20,
        HANOI,
        65537,
        "Example Viet Telecom",
        HomeIsp
    ),
    net!(
        "office-hanoi",
        v4(198, 18, 112, 0),
        20,
        HANOI,
        65538,
        "Example Hanoi Business ISP",
        SubsidiaryOffice
    ),
    net!(
        "isp-hcmc",
        v4(198, 18, 128, 0),
        20,
        HCMC,
        65537,
        "Example Viet Telecom",
        HomeIsp
    ),
    net!(
        "mobile-vn",
        v4(198, 18, 144, 0),
        20,
        HANOI,
        65539,
        "Example Viet Mobile",
        Mobile
    ),
    net!(
        "travel-detroit",
        v4(198, 18, 160, 0),
        20,
        DETROIT,
        65540,
        "Example Hotel Wi-Fi US",
        Travel
    ),
    net!(
        "travel-sanjose",
        v4(198, 18, 176, 0),
        20,
        SAN_JOSE,
        65540,
        "Example Hotel Wi-Fi US",
        Travel
    ),
    net!(
        "travel-munich",
        v4(198, 18, 192, 0),
        20,
        MUNICH,
        65541,
        "Example Hotspot GmbH",
        Travel
    ),
    net!(
        "travel-bangkok",
        v4(198, 18, 208, 0),
        20,
        BANGKOK,
        65542,
        "Example Thai Broadband",
        Travel
    ),
    net!(
        "travel-shanghai",
        v4(198, 18, 224, 0),
        20,
        SHANGHAI,
        65543,
        "Example China Net",
        Travel
    ),
    net!(
        "exo-servers",
        v6(0x2001, 0x0db8, 0xff00),
        40,
        TOKYO,
        65544,
        "Example Online Protection",
        MailServer
    ),
    net!(
        "mobile-a-v6",
        v6(0x2001, 0x0db8, 0x0100),
        40,
        TOKYO,
        64510,
        "Example Mobile A",
        Mobile
    ),
    net!(
        "mobile-b-v6",
        v6(0x2001, 0x0db8, 0x0200),
        40,
        OSAKA,
        64511,
        "Example Mobile B",
        Mobile
    ),
    net!(
        "mobile-c-v6",
        v6(0x2001, 0x0db8, 0x0300),
        40,
        TOKYO,
        65536,
        "Example Mobile C",
        Mobile
    ),
];

/// Looks a network up by its key.
pub(crate) fn network(key: &str) -> &'static Network {
    NETWORKS
        .iter()
        .find(|n| n.key == key)
        .unwrap_or(&NETWORKS[0])
}

/// The network containing `ip`, if any.
pub(crate) fn network_of(ip: IpAddr) -> Option<&'static Network> {
    NETWORKS.iter().find(|n| contains(n, ip))
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    }
}

/// True when `ip` is inside `net`.
pub(crate) fn contains(net: &Network, ip: IpAddr) -> bool {
    let (b, width) = bits(net.base);
    let (x, xw) = bits(ip);
    if width != xw {
        return false;
    }
    let host_bits = u32::from(width - net.prefix);
    (b >> host_bits) == (x >> host_bits)
}

/// The `n`-th host address of `net` (wrapping inside the network, skipping `.0`).
pub(crate) fn host(net: &Network, n: u128) -> IpAddr {
    let (b, width) = bits(net.base);
    let host_bits = u32::from(width - net.prefix);
    let size = if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    };
    let offset = 1 + n % (size - 2);
    match net.base {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from((b + offset) as u32)),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(b + offset)),
    }
}

/// A random host address of `net`. IPv6 mobile addresses get a random /64 and interface id.
pub(crate) fn random_host(net: &Network, g: &mut Gen) -> IpAddr {
    let r = (u128::from(g.u64()) << 64) | u128::from(g.u64());
    host(net, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_do_not_overlap_and_hosts_stay_inside() {
        let mut g = Gen::new(1, "world", 0);
        for (i, a) in NETWORKS.iter().enumerate() {
            for b in &NETWORKS[i + 1..] {
                assert!(
                    !contains(a, b.base) && !contains(b, a.base),
                    "{} overlaps {}",
                    a.key,
                    b.key
                );
            }
            for _ in 0..50 {
                let ip = random_host(a, &mut g);
                assert_eq!(network_of(ip).map(|n| n.key), Some(a.key));
            }
        }
    }
}
