//! A tiny seeded PRNG (splitmix64): the same seed gives the same project on every
//! machine and every Rust version, which `rand` does not promise.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent / 100`.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A bijection on 48 bits, so revision `n` gets a unique, random-looking 12-hex-digit id.
pub fn revision_id(n: u64) -> String {
    const MASK: u64 = (1 << 48) - 1;
    let mut x = (n.wrapping_add(0x5EED)) & MASK;
    for _ in 0..3 {
        x = x.wrapping_mul(0x9E37_79B9_7F4B) & MASK; // odd multiplier: invertible mod 2^48
        x ^= x >> 21; // xorshift right: invertible
    }
    format!("{x:012x}")
}
