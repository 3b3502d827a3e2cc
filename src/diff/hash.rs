//! A fast keyed hasher for interning tokens. Keyed per process (from the
//! standard library's random state), so that a hostile document cannot
//! choose tokens that all collide; several times faster than SipHash on the
//! short keys it is used for. Hash values never decide an output: they only
//! find equal keys, which the maps then compare.

use crate::text::load_u64;
use std::hash::{BuildHasher, Hasher};

const P: u64 = 0x9e37_79b9_7f4a_7c15;
const Q: u64 = 0xd6e8_feb8_6659_fd93;

/// The 128-bit product of `a` and `b`, folded to 64 bits.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// Builds `KeyedHasher`s with this process's key.
#[derive(Clone, Copy)]
pub(crate) struct Keyed {
    seed: u64,
}

impl Default for Keyed {
    fn default() -> Self {
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        let seed = *SEED.get_or_init(|| std::hash::RandomState::new().hash_one(0x5eed_u64) | 1);
        Keyed { seed }
    }
}

impl BuildHasher for Keyed {
    type Hasher = KeyedHasher;
    fn build_hasher(&self) -> KeyedHasher {
        KeyedHasher(self.seed)
    }
}

pub(crate) struct KeyedHasher(u64);

impl Hasher for KeyedHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ (bytes.len() as u64).wrapping_mul(Q);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = fold_mul(h ^ load_u64(c), P);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            h = fold_mul(h ^ load_u64(rest), P);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = fold_mul(self.0 ^ u64::from(i), Q);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.0 = fold_mul(self.0 ^ u64::from(i), Q);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = fold_mul(self.0 ^ i, Q);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        fold_mul(self.0, P ^ Q)
    }
}

/// A hash map with the keyed hasher.
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, Keyed>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        let k = Keyed::default();
        assert_eq!(k.hash_one("policy"), k.hash_one("policy"));
        let words = [
            "a",
            "a\0",
            "ab",
            "ba",
            "",
            "policy",
            "policz",
            "the same long token",
        ];
        let hashes: std::collections::HashSet<u64> = words.iter().map(|w| k.hash_one(w)).collect();
        assert_eq!(hashes.len(), words.len());
    }
}
