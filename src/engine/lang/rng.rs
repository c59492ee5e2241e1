//! CPython's `random` module, draw for draw: the Mersenne Twister (MT19937) seeded as
//! `random.seed(n)` seeds it for an integer `n`, and the reductions `random`'s methods apply to
//! its output (`getrandbits`, `_randbelow`, `choice`, `randint`, `uniform`, `shuffle`). A listing
//! that calls `random.seed(1)` therefore draws, under CPython, exactly what Interleave draws.
//!
//! The known answers in the tests were printed by CPython 3.12.

/// The generator's state: 624 words and the position of the next one.
#[derive(Clone)]
pub struct Rng {
    mt: Box<[u32; N]>,
    index: usize,
}

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

impl std::fmt::Debug for Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rng {{ index: {} }}", self.index)
    }
}

impl Rng {
    /// The generator after `random.seed(seed)` (CPython seeds with the integer's absolute value,
    /// split into 32-bit words, least significant first).
    pub fn new(seed: u64) -> Rng {
        let mut key = [seed as u32, (seed >> 32) as u32];
        let used = if seed >> 32 == 0 { 1 } else { 2 };
        let mut rng = Rng {
            mt: Box::new([0; N]),
            index: N,
        };
        rng.init_by_array(&mut key[..used]);
        rng
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &mut [u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        let len = key.len();
        for _ in 0..N.max(len) {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x8000_0000;
    }

    fn twist(&mut self) {
        let mag = |y: u32| if y & 1 == 0 { 0 } else { MATRIX_A };
        for k in 0..N {
            let y = (self.mt[k] & UPPER_MASK) | (self.mt[(k + 1) % N] & LOWER_MASK);
            self.mt[k] = self.mt[(k + M) % N] ^ (y >> 1) ^ mag(y);
        }
        self.index = 0;
    }

    /// The next 32 random bits (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random.random()`: a float in [0, 1) with 53 random bits.
    pub fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random.getrandbits(k)` for `k` up to 64: the first word drawn is the least significant.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => u64::from(self.next_u32() >> (32 - k)),
            _ => {
                let low = u64::from(self.next_u32());
                let high = u64::from(self.next_u32() >> (64 - k.min(64)));
                low | (high << 32)
            }
        }
    }

    /// `random._randbelow(n)`: a number in `0..n` (0 when `n` is 0), drawn as CPython draws it:
    /// as many bits as `n` has, again until the number is below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.randint(a, b)`, both ends included (`a <= b`).
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        let width = (b as i128 - a as i128 + 1).clamp(0, u64::MAX as i128) as u64;
        (a as i128 + self.below(width) as i128) as i64
    }

    /// `random.uniform(a, b)`.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    /// `random.shuffle(items)`, in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line of CPython 3.12's output per seed: three `getrandbits(32)`, `random()`,
    /// `randint(1, 5)`, `choice('abc')`'s index, `getrandbits(64)`, `uniform(2.5, 7.0)`,
    /// `randrange(1000003)`, then `shuffle(list(range(10)))`.
    #[allow(clippy::type_complexity)]
    const KNOWN: [(u64, [u64; 3], f64, i64, u64, u64, f64, u64, [u8; 10]); 5] = [
        (
            0,
            [3626764237, 1654615998, 3255389356],
            0.890243920837131,
            1,
            1,
            9431353882395063546,
            4.6866746345326575,
            962838,
            [2, 0, 3, 8, 6, 1, 9, 5, 7, 4],
        ),
        (
            1,
            [577090037, 2444712010, 3639700191],
            0.8022650611681835,
            1,
            1,
            9139164268605729673,
            5.92433100210659,
            495185,
            [7, 5, 2, 4, 9, 0, 8, 1, 3, 6],
        ),
        (
            42,
            [2746317213, 478163327, 107420369],
            0.7415504997598329,
            2,
            0,
            13585496030504862185,
            2.961228292771784,
            776646,
            [3, 2, 4, 9, 5, 7, 0, 6, 1, 8],
        ),
        (
            4294967295,
            [2728839433, 2661025012, 872737089],
            0.21534345751528883,
            5,
            1,
            6272406001566189819,
            6.827219316475264,
            705016,
            [8, 2, 6, 9, 1, 0, 3, 7, 5, 4],
        ),
        (
            1099511627781,
            [2166296868, 2220160828, 1153647273],
            0.6637982795073579,
            1,
            2,
            15088778494213698714,
            6.254200309811878,
            952859,
            [8, 3, 9, 4, 5, 7, 6, 1, 2, 0],
        ),
    ];

    #[test]
    fn draws_what_cpython_draws() {
        for (seed, bits, random, randint, choice, bits64, uniform, below, shuffled) in KNOWN {
            let mut r = Rng::new(seed);
            let got: Vec<u64> = (0..3).map(|_| r.getrandbits(32)).collect();
            assert_eq!(got, bits, "seed {seed}");
            assert_eq!(r.random(), random, "seed {seed}");
            assert_eq!(r.randint(1, 5), randint, "seed {seed}");
            assert_eq!(r.below(3), choice, "seed {seed}");
            assert_eq!(r.getrandbits(64), bits64, "seed {seed}");
            assert_eq!(r.uniform(2.5, 7.0), uniform, "seed {seed}");
            assert_eq!(r.below(1_000_003), below, "seed {seed}");
            let mut items: Vec<u8> = (0..10).collect();
            r.shuffle(&mut items);
            assert_eq!(items, shuffled, "seed {seed}");
        }
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::new(7);
        let xs: Vec<u64> = (0..300).map(|_| r.below(3)).collect();
        assert!(xs.iter().all(|&x| x < 3));
        for k in 0..3 {
            assert!(xs.contains(&k));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.randint(4, 4), 4);
    }
}
