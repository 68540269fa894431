//! Deterministic randomness: every stream is a ChaCha8 generator derived from the user's seed
//! and a label, so days and components can be generated in any order and still give the same
//! bytes for the same seed.

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A labelled deterministic random stream.
pub(crate) struct Gen {
    rng: ChaCha8Rng,
}

/// FNV-1a over the label, mixed with the seed: stable across Rust versions (unlike `Hash`).
fn derive(seed: u64, label: &str, index: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed.rotate_left(17);
    for b in label.bytes().chain(index.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ seed
}

impl Gen {
    /// A stream for `label` number `index` under `seed`.
    pub(crate) fn new(seed: u64, label: &str, index: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(derive(seed, label, index)),
        }
    }

    /// Uniform integer in `lo..hi` (`lo` when the range is empty).
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..hi)
        }
    }

    /// Uniform index below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.range(0, n as u64) as usize
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    /// One element of a non-empty slice (the first when empty is impossible by construction).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i]
    }

    /// Raw 64 random bits.
    pub(crate) fn u64(&mut self) -> u64 {
        self.rng.random()
    }

    /// A GUID in Microsoft's lower-case 8-4-4-4-12 form (version 4 bits set).
    pub(crate) fn guid(&mut self) -> String {
        let a = self.u64();
        let b = self.u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a as u16) & 0x0fff,
            ((b >> 48) as u16 & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// Random lower-case hex of `n` characters.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.u64()));
        }
        s.truncate(n);
        s
    }

    /// A token-like string of `n` URL-safe characters (unique token identifiers, skip tokens).
    pub(crate) fn token(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..n)
            .map(|_| ALPHABET[self.below(ALPHABET.len())] as char)
            .collect()
    }

    /// A time `start + [0, span_secs)` seconds, with milliseconds.
    pub(crate) fn time_in(&mut self, start: DateTime<Utc>, span_secs: u64) -> DateTime<Utc> {
        let ms = self.range(0, span_secs.max(1) * 1000);
        start + Duration::milliseconds(ms as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_label_same_stream_and_guid_shape() {
        let mut a = Gen::new(7, "day", 3);
        let mut b = Gen::new(7, "day", 3);
        let ga = a.guid();
        assert_eq!(ga, b.guid());
        assert_eq!(ga.len(), 36);
        assert_eq!(&ga[14..15], "4");
        let mut c = Gen::new(7, "day", 4);
        assert_ne!(ga, c.guid());
    }
}
