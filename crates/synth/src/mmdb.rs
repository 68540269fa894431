//! A small MaxMind DB (`.mmdb`) writer, following the public "MaxMind DB File Format
//! Specification" v2.0: a binary search tree over IPv6 bits (IPv4 lives under `::/96`), 32-bit
//! records, a 16-byte zero separator, the data section, then `\xAB\xCD\xEFMaxMind.com` and
//! the metadata map.
//!
//! Records carry the GeoIP2-City fields (`country.iso_code`, `country.names.en`,
//! `city.names.en`, `location.latitude/longitude`, `subdivisions`) and the GeoLite2-ASN fields
//! (`autonomous_system_number`, `autonomous_system_organization`) in one map, so one file
//! answers both lookups.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::error::Error;

/// A value of the MaxMind data section.
#[derive(Debug, Clone, PartialEq)]
pub enum MmdbValue {
    /// UTF-8 string (type 2).
    Str(String),
    /// IEEE-754 double (type 3).
    Double(f64),
    /// Unsigned 16-bit (type 5).
    U16(u16),
    /// Unsigned 32-bit (type 6).
    U32(u32),
    /// Unsigned 64-bit (type 9).
    U64(u64),
    /// Map with string keys (type 7); sorted for deterministic output.
    Map(BTreeMap<String, MmdbValue>),
    /// Array (type 11).
    Array(Vec<MmdbValue>),
    /// Boolean (type 14).
    Bool(bool),
}

impl MmdbValue {
    /// Shorthand for a string value.
    pub fn s(v: &str) -> Self {
        MmdbValue::Str(v.to_string())
    }

    /// Shorthand for a map from pairs.
    pub fn map(pairs: Vec<(&str, MmdbValue)>) -> Self {
        MmdbValue::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

fn control(out: &mut Vec<u8>, type_num: u8, size: usize) {
    let (first_size, extra): (u8, Vec<u8>) = if size < 29 {
        (size as u8, vec![])
    } else if size < 29 + 256 {
        (29, vec![(size - 29) as u8])
    } else if size < 285 + 65_536 {
        let s = size - 285;
        (30, vec![(s >> 8) as u8, s as u8])
    } else {
        let s = size - 65_821;
        (31, vec![(s >> 16) as u8, (s >> 8) as u8, s as u8])
    };
    if type_num <= 7 {
        out.push((type_num << 5) | first_size);
    } else {
        out.push(first_size);
        out.push(type_num - 7);
    }
    out.extend_from_slice(&extra);
}

fn uint_bytes(v: u64) -> Vec<u8> {
    let b = v.to_be_bytes();
    let skip = b.iter().take_while(|x| **x == 0).count();
    b[skip..].to_vec()
}

/// Appends the encoding of `v` to `out`.
pub fn encode(v: &MmdbValue, out: &mut Vec<u8>) {
    match v {
        MmdbValue::Str(s) => {
            control(out, 2, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        MmdbValue::Double(d) => {
            control(out, 3, 8);
            out.extend_from_slice(&d.to_be_bytes());
        }
        MmdbValue::U16(x) => {
            let b = uint_bytes(u64::from(*x));
            control(out, 5, b.len());
            out.extend_from_slice(&b);
        }
        MmdbValue::U32(x) => {
            let b = uint_bytes(u64::from(*x));
            control(out, 6, b.len());
            out.extend_from_slice(&b);
        }
        MmdbValue::U64(x) => {
            let b = uint_bytes(*x);
            control(out, 9, b.len());
            out.extend_from_slice(&b);
        }
        MmdbValue::Map(m) => {
            control(out, 7, m.len());
            for (k, val) in m {
                encode(&MmdbValue::Str(k.clone()), out);
                encode(val, out);
            }
        }
        MmdbValue::Array(a) => {
            control(out, 11, a.len());
            for val in a {
                encode(val, out);
            }
        }
        MmdbValue::Bool(b) => control(out, 14, usize::from(*b)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rec {
    Empty,
    Node(u32),
    Data(u32),
}

/// Builds an IPv6 MaxMind DB in memory.
pub struct MmdbWriter {
    nodes: Vec<[Rec; 2]>,
    data: Vec<u8>,
    database_type: String,
    description: String,
}

impl MmdbWriter {
    /// An empty database of `database_type` (e.g. `GeoLite2-City`).
    pub fn new(database_type: &str, description: &str) -> Self {
        Self {
            nodes: vec![[Rec::Empty, Rec::Empty]],
            data: Vec::new(),
            database_type: database_type.to_string(),
            description: description.to_string(),
        }
    }

    /// Stores `value` in the data section and returns its offset (each value stored once per
    /// call; callers share offsets between networks with the same record).
    pub fn add_data(&mut self, value: &MmdbValue) -> u32 {
        let off = self.data.len() as u32;
        encode(value, &mut self.data);
        off
    }

    /// Maps the network `ip/prefix` to the data at `offset`. IPv4 networks go under `::/96`.
    pub fn insert(&mut self, ip: IpAddr, prefix: u8, offset: u32) -> Result<(), Error> {
        let (bits, len) = match ip {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 96 + prefix),
            IpAddr::V6(a) => (u128::from(a), prefix),
        };
        if len == 0 || len > 128 {
            return Err(Error::Mmdb(format!("bad prefix {ip}/{prefix}")));
        }
        let mut node = 0usize;
        for depth in 0..len {
            let bit = ((bits >> (127 - depth)) & 1) as usize;
            if depth == len - 1 {
                if self.nodes[node][bit] != Rec::Empty {
                    return Err(Error::Mmdb(format!(
                        "network {ip}/{prefix} overlaps another"
                    )));
                }
                self.nodes[node][bit] = Rec::Data(offset);
                return Ok(());
            }
            node = match self.nodes[node][bit] {
                Rec::Node(n) => n as usize,
                Rec::Empty => {
                    self.nodes.push([Rec::Empty, Rec::Empty]);
                    let n = self.nodes.len() - 1;
                    self.nodes[node][bit] = Rec::Node(n as u32);
                    n
                }
                Rec::Data(_) => {
                    return Err(Error::Mmdb(format!(
                        "network {ip}/{prefix} lies inside another"
                    )));
                }
            };
        }
        Ok(())
    }

    /// Serializes the database (tree, separator, data, metadata) with `build_epoch`.
    pub fn to_bytes(&self, build_epoch: u64) -> Vec<u8> {
        let node_count = self.nodes.len() as u32;
        let mut out = Vec::with_capacity(self.nodes.len() * 8 + self.data.len() + 512);
        for n in &self.nodes {
            for r in n {
                let v = match *r {
                    Rec::Empty => node_count,
                    Rec::Node(i) => i,
                    Rec::Data(off) => node_count + 16 + off,
                };
                out.extend_from_slice(&v.to_be_bytes());
            }
        }
        out.extend_from_slice(&[0u8; 16]);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
        let meta = MmdbValue::map(vec![
            ("binary_format_major_version", MmdbValue::U16(2)),
            ("binary_format_minor_version", MmdbValue::U16(0)),
            ("build_epoch", MmdbValue::U64(build_epoch)),
            ("database_type", MmdbValue::s(&self.database_type)),
            (
                "description",
                MmdbValue::map(vec![("en", MmdbValue::s(&self.description))]),
            ),
            ("ip_version", MmdbValue::U16(6)),
            ("languages", MmdbValue::Array(vec![MmdbValue::s("en")])),
            ("node_count", MmdbValue::U32(node_count)),
            ("record_size", MmdbValue::U16(32)),
        ]);
        encode(&meta, &mut out);
        out
    }
}

/// The GeoIP record of one synthetic network.
pub(crate) fn network_record(n: &crate::world::Network) -> MmdbValue {
    let p = &n.place;
    MmdbValue::map(vec![
        (
            "city",
            MmdbValue::map(vec![(
                "names",
                MmdbValue::map(vec![("en", MmdbValue::s(p.city))]),
            )]),
        ),
        (
            "country",
            MmdbValue::map(vec![
                ("iso_code", MmdbValue::s(p.country)),
                (
                    "names",
                    MmdbValue::map(vec![("en", MmdbValue::s(p.country_name))]),
                ),
            ]),
        ),
        (
            "location",
            MmdbValue::map(vec![
                ("latitude", MmdbValue::Double(p.lat)),
                ("longitude", MmdbValue::Double(p.lon)),
                ("accuracy_radius", MmdbValue::U16(50)),
            ]),
        ),
        (
            "subdivisions",
            MmdbValue::Array(vec![MmdbValue::map(vec![(
                "names",
                MmdbValue::map(vec![("en", MmdbValue::s(p.state))]),
            )])]),
        ),
        ("autonomous_system_number", MmdbValue::U32(n.asn)),
        ("autonomous_system_organization", MmdbValue::s(n.org)),
    ])
}

/// Builds `geoip.mmdb` for every synthetic network.
pub(crate) fn build_geoip(build_epoch: u64) -> Result<Vec<u8>, Error> {
    let mut w = MmdbWriter::new(
        "GeoLite2-City",
        "mimamori synthetic GeoIP (documentation address ranges only)",
    );
    for n in crate::world::NETWORKS {
        let off = w.add_data(&network_record(n));
        w.insert(n.base, n.prefix, off)?;
    }
    Ok(w.to_bytes(build_epoch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_follow_the_spec() {
        let mut out = Vec::new();
        encode(&MmdbValue::s("en"), &mut out);
        assert_eq!(out, vec![0x42, b'e', b'n']);
        let mut out = Vec::new();
        encode(&MmdbValue::U64(1), &mut out);
        assert_eq!(out, vec![0x01, 0x02, 0x01]);
        let mut out = Vec::new();
        encode(&MmdbValue::s(&"x".repeat(30)), &mut out);
        assert_eq!(&out[..2], &[0x5d, 1]);
    }

    #[test]
    fn overlapping_networks_are_rejected() {
        let mut w = MmdbWriter::new("t", "t");
        let ip: IpAddr = "10.0.0.0".parse().expect("ip");
        w.insert(ip, 8, 0).expect("first");
        assert!(w.insert("10.1.0.0".parse().expect("ip"), 16, 0).is_err());
    }
}
