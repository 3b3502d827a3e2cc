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

/// Ids of folded token keys (`kinds::fold_key`), kept for a whole diff so
/// that the table is built once, not once per changed region: equal keys,
/// equal ids. A key of at most 16 ASCII bytes (nearly every word) is held
/// as two words and its length, in a table of its own, and an ASCII
/// token is folded (lowercased) eight bytes at a time straight into them:
/// no string is built, hashed byte by byte or compared through `memcmp`.
/// Other keys go through `fold_key_in` and a map of strings.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    short: ShortKeys,
    long: Map<std::borrow::Cow<'a, str>, u32>,
    folded: String,
}

/// An open-addressing table from short keys (two words and a length) to
/// ids, probed linearly: a lookup is two multiplies and, nearly always,
/// one slot compared. Keyed per process like `Keyed`.
#[derive(Default)]
struct ShortKeys {
    /// Power-of-two many slots (or none yet); a slot with id `u32::MAX`
    /// is empty.
    slots: Vec<Slot>,
    len: usize,
    seed: u64,
}

#[derive(Clone, Copy)]
struct Slot {
    w0: u64,
    w1: u64,
    len: u32,
    id: u32,
}

const EMPTY: Slot = Slot {
    w0: 0,
    w1: 0,
    len: 0,
    id: u32::MAX,
};

impl ShortKeys {
    #[inline]
    fn hash(&self, w0: u64, w1: u64, len: usize) -> usize {
        fold_mul(fold_mul(w0 ^ self.seed ^ len as u64, P) ^ w1, Q) as usize
    }

    /// The id of the key, given `next` if it is new.
    #[inline]
    fn id(&mut self, w0: u64, w1: u64, len: usize, next: u32) -> u32 {
        if 8 * (self.len + 1) > 7 * self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.hash(w0, w1, len) & mask;
        loop {
            let s = self.slots[i];
            if s.id == u32::MAX {
                self.slots[i] = Slot {
                    w0,
                    w1,
                    len: len as u32,
                    id: next,
                };
                self.len += 1;
                return next;
            }
            if s.w0 == w0 && s.w1 == w1 && s.len == len as u32 {
                return s.id;
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        if self.slots.is_empty() {
            self.seed = Keyed::default().seed;
        }
        let size = (2 * self.slots.len()).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        let mask = size - 1;
        for s in old.into_iter().filter(|s| s.id != u32::MAX) {
            let mut i = self.hash(s.w0, s.w1, s.len as usize) & mask;
            while self.slots[i].id != u32::MAX {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

const HIGH: u64 = 0x8080_8080_8080_8080;
const REP: u64 = 0x0101_0101_0101_0101;

/// The low `n` bytes of `w` (`n` at most 8).
#[inline]
fn low_bytes(w: u64, n: usize) -> u64 {
    if n >= 8 {
        w
    } else {
        w & ((1u64 << (8 * n)) - 1)
    }
}

/// ASCII `w` with its capital letters lowercased, eight at a time.
#[inline]
fn ascii_lower(w: u64) -> u64 {
    // 0x80 in each byte within `A..=Z` (no byte carries: all are ASCII).
    let upper = (w.wrapping_add(REP * u64::from(0x80 - b'A'))
        & !w.wrapping_add(REP * u64::from(0x7f - b'Z')))
        & HIGH;
    w | (upper >> 2)
}

impl<'a> Interner<'a> {
    /// The id of the folded key of `text[r]`.
    #[inline]
    pub(crate) fn id(&mut self, text: &'a str, r: std::ops::Range<usize>) -> u32 {
        let b = text.as_bytes();
        let len = r.len();
        if len <= 16 {
            // Two words from the token's start (read past its end when the
            // text allows, then masked), else copied.
            let (w0, w1) = if r.start + 16 <= b.len() {
                let at = &b[r.start..r.start + 16];
                (load_u64(&at[..8]), load_u64(&at[8..]))
            } else {
                let mut buf = [0u8; 16];
                buf[..len].copy_from_slice(&b[r.clone()]);
                (load_u64(&buf[..8]), load_u64(&buf[8..]))
            };
            let (w0, w1) = (low_bytes(w0, len), low_bytes(w1, len.saturating_sub(8)));
            if (w0 | w1) & HIGH == 0 {
                return self.short_id(ascii_lower(w0), ascii_lower(w1), len);
            }
        }
        self.general(&text[r])
    }

    #[inline]
    fn short_id(&mut self, w0: u64, w1: u64, len: usize) -> u32 {
        let next = (self.short.len + self.long.len()) as u32;
        self.short.id(w0, w1, len, next)
    }

    /// A token that is not ASCII or is longer than 16 bytes.
    #[cold]
    fn general(&mut self, t: &'a str) -> u32 {
        let mut folded = std::mem::take(&mut self.folded);
        let key = super::kinds::fold_key_in(t, &mut folded);
        let id = if key.len() <= 16 && key.is_ascii() {
            // Its key exactly (already folded), in the table of short keys.
            let mut buf = [0u8; 16];
            buf[..key.len()].copy_from_slice(key.as_bytes());
            self.short_id(load_u64(&buf[..8]), load_u64(&buf[8..]), key.len())
        } else if let Some(&id) = self.long.get(key) {
            id
        } else {
            let next = (self.short.len + self.long.len()) as u32;
            let key = if std::ptr::eq(key, t) {
                std::borrow::Cow::Borrowed(t)
            } else {
                std::borrow::Cow::Owned(key.to_owned())
            };
            self.long.insert(key, next);
            next
        };
        self.folded = folded;
        id
    }
}

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

    /// Equal folded keys get equal ids, different keys different ids,
    /// whichever path (short ASCII, general) each token takes.
    #[test]
    fn interned_ids_follow_folded_keys() {
        let words = [
            "a",
            "A",
            "a\0",
            "ab",
            "AB",
            "Ab",
            "policy",
            "POLICY",
            "Policy.",
            "don't",
            "don\u{2019}t",
            "DON\u{2019}T",
            "exactly16bytes!!",
            "EXACTLY16BYTES!!",
            "seventeen-bytes!!",
            "SEVENTEEN-BYTES!!",
            "Zürich",
            "zürich",
            "",
            "@[`{",
            "\u{201c}",
            "\"",
            "x".repeat(40).leak(),
        ];
        // Each token alone and at the end of a text (no bytes after it).
        let text: String = words.concat();
        let mut ids = Interner::default();
        let mut at = 0;
        let mut got = Vec::new();
        for w in words {
            got.push(ids.id(&text, at..at + w.len()));
            at += w.len();
        }
        for (k, w) in words.iter().enumerate() {
            let alone: &'static str = w;
            assert_eq!(ids.id(alone, 0..w.len()), got[k], "{w:?}");
        }
        let key = |w: &str| crate::diff::kinds::fold_key(w).into_owned();
        for (x, a) in words.iter().enumerate() {
            for (y, b) in words.iter().enumerate() {
                assert_eq!(key(a) == key(b), got[x] == got[y], "{a:?} {b:?}");
            }
        }
    }
}
