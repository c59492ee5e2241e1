//! Raw DEFLATE (RFC 1951) both ways, for the programs share links carry: a link holds the
//! program compressed, then in base64url (see [`crate::engine::edges::url::code_link`]).
//!
//! Why our own: a program is at most a few thousand bytes, so the whole of it is one block and
//! the window is never full; what matters is that the page stays small and that any DEFLATE
//! stream opens (a teacher's script may make links with Python's `zlib`). The compressor finds
//! repeats with hash chains and lazy matching, as zlib does, and writes the shortest of a
//! dynamic-Huffman, fixed-Huffman and stored block; the decompressor reads all three block
//! types, checks every length, distance and code it reads, and stops at a size limit, so no
//! link can make it panic or run away with memory. Tests check both ways against CPython's
//! `zlib`.

/// Lengths of matches: the base of each length code (257 on), and its extra bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distances: the base of each distance code, and its extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order code-length code lengths are sent in.
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

const WINDOW: usize = 32_768;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// How many earlier places with the same three bytes a match is looked for at.
const MAX_CHAIN: usize = 512;

/// `data` compressed: one raw DEFLATE stream (no zlib or gzip header).
pub fn compress(data: &[u8]) -> Vec<u8> {
    let symbols = matches(data);
    let dynamic = write_block(&symbols, Some(&symbols));
    let fixed = write_block(&symbols, None);
    let stored = write_stored(data);
    [dynamic, fixed, stored]
        .into_iter()
        .min_by_key(Vec::len)
        .unwrap_or_default()
}

/// One symbol of the compressed stream: a byte, or a copy of `len` bytes from `dist` back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Symbol {
    Literal(u8),
    Copy { len: u16, dist: u16 },
}

/// The repeats of `data`, found with hash chains over its three-byte prefixes and taken
/// lazily (a match is put off by one byte when the next one is longer).
fn matches(data: &[u8]) -> Vec<Symbol> {
    const HASH_BITS: u32 = 15;
    let hash = |i: usize| -> usize {
        let v = u32::from(data[i]) << 16 | u32::from(data[i + 1]) << 8 | u32::from(data[i + 2]);
        (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
    };
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; data.len()];
    let mut inserted = 0;
    let mut insert_to = |to: usize, head: &mut Vec<usize>, prev: &mut Vec<usize>| {
        while inserted < to && inserted + MIN_MATCH <= data.len() {
            let h = hash(inserted);
            prev[inserted] = head[h];
            head[h] = inserted;
            inserted += 1;
        }
    };
    let longest = |i: usize, head: &[usize], prev: &[usize]| -> (usize, usize) {
        if i + MIN_MATCH > data.len() {
            return (0, 0);
        }
        let most = (data.len() - i).min(MAX_MATCH);
        let (mut best, mut best_dist) = (0, 0);
        let mut at = head[hash(i)];
        let mut chain = 0;
        while at != usize::MAX && i - at <= WINDOW && chain < MAX_CHAIN {
            if data[at + best.min(most - 1)] == data[i + best.min(most - 1)] {
                let len = data[at..]
                    .iter()
                    .zip(&data[i..i + most])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best {
                    (best, best_dist) = (len, i - at);
                    if len == most {
                        break;
                    }
                }
            }
            at = prev[at];
            chain += 1;
        }
        if best >= MIN_MATCH {
            (best, best_dist)
        } else {
            (0, 0)
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        insert_to(i, &mut head, &mut prev);
        let (len, dist) = longest(i, &head, &prev);
        if len == 0 {
            out.push(Symbol::Literal(data[i]));
            i += 1;
            continue;
        }
        // Lazy: a longer match one byte on is worth a literal first.
        insert_to(i + 1, &mut head, &mut prev);
        let (next, _) = longest(i + 1, &head, &prev);
        if next > len {
            out.push(Symbol::Literal(data[i]));
            i += 1;
            continue;
        }
        out.push(Symbol::Copy {
            len: len as u16,
            dist: dist as u16,
        });
        i += len;
    }
    out
}

/// The length code (0 for 257) of a match length, and its extra bits' value.
fn len_code(len: u16) -> (usize, u16) {
    let code = LEN_BASE.iter().rposition(|b| *b <= len).unwrap_or(0);
    (code, len - LEN_BASE[code])
}

/// The distance code of a distance, and its extra bits' value.
fn dist_code(dist: u16) -> (usize, u16) {
    let code = DIST_BASE.iter().rposition(|b| *b <= dist).unwrap_or(0);
    (code, dist - DIST_BASE[code])
}

/// Bits written least significant first, as DEFLATE packs them.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Canonical Huffman codes of these code lengths, bit-reversed for [`BitWriter`].
fn codes(lengths: &[u8]) -> Vec<u32> {
    let mut count = [0u32; 16];
    for &l in lengths {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[l as usize];
            next[l as usize] += 1;
            c.reverse_bits() >> (32 - u32::from(l))
        })
        .collect()
}

/// Huffman code lengths for these symbol counts, none longer than `limit`: a symbol used is
/// given a code, an unused one none. When the tree is too deep, the counts are flattened and
/// it is built again.
fn code_lengths(counts: &[u32], limit: u8) -> Vec<u8> {
    let mut weights: Vec<u64> = counts.iter().map(|&c| u64::from(c)).collect();
    loop {
        let lengths = tree_depths(&weights);
        if lengths.iter().all(|&l| l <= limit) {
            return lengths;
        }
        for w in weights.iter_mut().filter(|w| **w > 0) {
            *w = (*w / 2).max(1);
        }
    }
}

/// The depth of each used symbol in a Huffman tree of these weights (a lone symbol gets 1).
fn tree_depths(weights: &[u64]) -> Vec<u8> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut depths = vec![0u8; weights.len()];
    let used: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0).collect();
    if used.len() == 1 {
        depths[used[0]] = 1;
    }
    if used.len() < 2 {
        return depths;
    }
    // Nodes: the leaves first, then each merge; a merge's parent is set as it is made.
    let mut parent: Vec<usize> = vec![usize::MAX; used.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = used
        .iter()
        .enumerate()
        .map(|(node, &sym)| Reverse((weights[sym], node)))
        .collect();
    while let (Some(Reverse((wa, a))), Some(Reverse((wb, b)))) = (heap.pop(), heap.pop()) {
        let node = parent.len();
        parent.push(usize::MAX);
        parent[a] = node;
        parent[b] = node;
        heap.push(Reverse((wa + wb, node)));
    }
    // A node's depth is its parent's plus one; parents come after their children.
    let mut depth = vec![0u8; parent.len()];
    for node in (0..parent.len()).rev() {
        if let Some(&p) = parent.get(node).filter(|p| **p != usize::MAX) {
            depth[node] = depth[p].saturating_add(1);
        }
    }
    for (leaf, &sym) in used.iter().enumerate() {
        depths[sym] = depth[leaf];
    }
    depths
}

/// The code lengths of the fixed Huffman codes: literals and lengths, then distances.
fn fixed_lengths() -> (Vec<u8>, Vec<u8>) {
    let mut lit = vec![8u8; 288];
    lit[144..256].fill(9);
    lit[256..280].fill(7);
    (lit, vec![5u8; 30])
}

/// One final block of `symbols`: with Huffman codes fitted to `counted` (a dynamic block), or
/// the fixed ones.
fn write_block(symbols: &[Symbol], counted: Option<&[Symbol]>) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.put(1, 1);
    let (lit_len, dist_len) = match counted {
        Some(symbols) => {
            let mut lit_counts = vec![0u32; 286];
            let mut dist_counts = vec![0u32; 30];
            lit_counts[256] = 1;
            for s in symbols {
                match *s {
                    Symbol::Literal(b) => lit_counts[b as usize] += 1,
                    Symbol::Copy { len, dist } => {
                        lit_counts[257 + len_code(len).0] += 1;
                        dist_counts[dist_code(dist).0] += 1;
                    }
                }
            }
            let lit_len = code_lengths(&lit_counts, 15);
            let mut dist_len = code_lengths(&dist_counts, 15);
            if dist_len.iter().all(|&l| l == 0) {
                // No copies: one distance code, never used, as zlib writes it.
                dist_len[0] = 1;
            }
            w.put(2, 2);
            write_lengths(&mut w, &lit_len, &dist_len);
            (lit_len, dist_len)
        }
        None => {
            w.put(1, 2);
            fixed_lengths()
        }
    };
    let (lit_code, dist_code_of) = (codes(&lit_len), codes(&dist_len));
    for s in symbols {
        match *s {
            Symbol::Literal(b) => w.put(lit_code[b as usize], u32::from(lit_len[b as usize])),
            Symbol::Copy { len, dist } => {
                let (lc, lextra) = len_code(len);
                w.put(lit_code[257 + lc], u32::from(lit_len[257 + lc]));
                w.put(u32::from(lextra), u32::from(LEN_EXTRA[lc]));
                let (dc, dextra) = dist_code(dist);
                w.put(dist_code_of[dc], u32::from(dist_len[dc]));
                w.put(u32::from(dextra), u32::from(DIST_EXTRA[dc]));
            }
        }
    }
    w.put(lit_code[256], u32::from(lit_len[256]));
    w.finish()
}

/// A dynamic block's header after its type: how many codes of each kind, the code-length
/// code, then both code-length lists run-length coded (16: repeat the last 3 to 6 times; 17, 18:
/// 3 to 10, 11 to 138 zeros).
fn write_lengths(w: &mut BitWriter, lit_len: &[u8], dist_len: &[u8]) {
    let hlit = lit_len
        .iter()
        .rposition(|&l| l > 0)
        .map_or(257, |i| i + 1)
        .max(257);
    let hdist = dist_len
        .iter()
        .rposition(|&l| l > 0)
        .map_or(1, |i| i + 1)
        .max(1);
    let all: Vec<u8> = lit_len[..hlit]
        .iter()
        .chain(&dist_len[..hdist])
        .copied()
        .collect();
    // (symbol, extra bits' value, extra bits)
    let mut runs: Vec<(u8, u8, u8)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let l = all[i];
        let run = all[i..].iter().take_while(|&&x| x == l).count();
        if l == 0 && run >= 3 {
            let n = run.min(138);
            if n >= 11 {
                runs.push((18, (n - 11) as u8, 7));
            } else {
                runs.push((17, (n - 3) as u8, 3));
            }
            i += n;
        } else if l != 0 && run >= 4 {
            runs.push((l, 0, 0));
            let n = (run - 1).min(6);
            runs.push((16, (n - 3) as u8, 2));
            i += 1 + n;
        } else {
            runs.push((l, 0, 0));
            i += 1;
        }
    }
    let mut cl_counts = [0u32; 19];
    for (sym, _, _) in &runs {
        cl_counts[*sym as usize] += 1;
    }
    let cl_len = code_lengths(&cl_counts, 7);
    let cl_code = codes(&cl_len);
    let hclen = CL_ORDER
        .iter()
        .rposition(|&s| cl_len[s] > 0)
        .map_or(4, |i| i + 1)
        .max(4);
    w.put((hlit - 257) as u32, 5);
    w.put((hdist - 1) as u32, 5);
    w.put((hclen - 4) as u32, 4);
    for &s in &CL_ORDER[..hclen] {
        w.put(u32::from(cl_len[s]), 3);
    }
    for (sym, extra, bits) in runs {
        w.put(cl_code[sym as usize], u32::from(cl_len[sym as usize]));
        w.put(u32::from(extra), u32::from(bits));
    }
}

/// `data` in stored blocks (what does not compress).
fn write_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / 65_535 + 1));
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        return vec![1, 0, 0, 0xff, 0xff];
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// Why a stream could not be read.
pub type Damage = &'static str;

/// A raw DEFLATE stream decompressed, if it is whole and makes at most `limit` bytes.
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, Damage> {
    let mut r = BitReader {
        data,
        pos: 0,
        acc: 0,
        n: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = r.bits(1)? == 1;
        match r.bits(2)? {
            0 => r.stored(&mut out, limit)?,
            1 => {
                let (lit, dist) = fixed_lengths();
                r.codes(&mut out, &Huffman::new(&lit)?, &Huffman::new(&dist)?, limit)?;
            }
            2 => {
                let (lit, dist) = r.dynamic_header()?;
                r.codes(&mut out, &lit, &dist, limit)?;
            }
            _ => return Err("it uses a block type that does not exist"),
        }
        if last {
            return Ok(out);
        }
    }
}

struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    n: u32,
}

const CUT_SHORT: Damage = "it is cut short";

impl BitReader<'_> {
    fn bits(&mut self, k: u32) -> Result<u32, Damage> {
        while self.n < k {
            let byte = *self.data.get(self.pos).ok_or(CUT_SHORT)?;
            self.pos += 1;
            self.acc |= u64::from(byte) << self.n;
            self.n += 8;
        }
        let v = (self.acc & ((1u64 << k) - 1)) as u32;
        self.acc >>= k;
        self.n -= k;
        Ok(v)
    }

    fn stored(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<(), Damage> {
        // To the byte boundary: what is left of the byte in hand is padding.
        self.acc = 0;
        self.n = 0;
        let header = self.data.get(self.pos..self.pos + 4).ok_or(CUT_SHORT)?;
        let len = u16::from_le_bytes([header[0], header[1]]);
        let nlen = u16::from_le_bytes([header[2], header[3]]);
        if len != !nlen {
            return Err("a stored block's length is damaged");
        }
        self.pos += 4;
        let bytes = self
            .data
            .get(self.pos..self.pos + usize::from(len))
            .ok_or(CUT_SHORT)?;
        if out.len() + bytes.len() > limit {
            return Err(TOO_LONG);
        }
        out.extend_from_slice(bytes);
        self.pos += usize::from(len);
        Ok(())
    }

    fn dynamic_header(&mut self) -> Result<(Huffman, Huffman), Damage> {
        let hlit = self.bits(5)? as usize + 257;
        let hdist = self.bits(5)? as usize + 1;
        let hclen = self.bits(4)? as usize + 4;
        if hlit > 286 || hdist > 30 {
            return Err("it counts more codes than there are");
        }
        let mut cl_len = [0u8; 19];
        for &s in &CL_ORDER[..hclen] {
            cl_len[s] = self.bits(3)? as u8;
        }
        let cl = Huffman::new(&cl_len)?;
        let mut lengths = Vec::with_capacity(hlit + hdist);
        while lengths.len() < hlit + hdist {
            let sym = self.decode(&cl)?;
            let (value, times) = match sym {
                0..=15 => (sym as u8, 1),
                16 => {
                    let last = *lengths.last().ok_or("it repeats a length before any")?;
                    (last, 3 + self.bits(2)? as usize)
                }
                17 => (0, 3 + self.bits(3)? as usize),
                _ => (0, 11 + self.bits(7)? as usize),
            };
            if lengths.len() + times > hlit + hdist {
                return Err("its code lengths run over");
            }
            lengths.extend(std::iter::repeat_n(value, times));
        }
        if lengths[256] == 0 {
            return Err("it has no end-of-block code");
        }
        Ok((
            Huffman::new(&lengths[..hlit])?,
            Huffman::new(&lengths[hlit..])?,
        ))
    }

    fn decode(&mut self, h: &Huffman) -> Result<u16, Damage> {
        // Canonical codes: at each length, the codes are consecutive from `first`.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= self.bits(1)? as i32;
            let count = i32::from(h.count[len]);
            if code - first < count {
                return h
                    .symbols
                    .get((index + code - first) as usize)
                    .copied()
                    .ok_or(BAD_CODE);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(BAD_CODE)
    }

    fn codes(
        &mut self,
        out: &mut Vec<u8>,
        lit: &Huffman,
        dist: &Huffman,
        limit: usize,
    ) -> Result<(), Damage> {
        loop {
            let sym = self.decode(lit)?;
            match sym {
                0..=255 => {
                    if out.len() >= limit {
                        return Err(TOO_LONG);
                    }
                    out.push(sym as u8);
                }
                256 => return Ok(()),
                _ => {
                    let i = usize::from(sym - 257);
                    let (base, extra) = LEN_BASE.get(i).zip(LEN_EXTRA.get(i)).ok_or(BAD_CODE)?;
                    let len = usize::from(*base) + self.bits(u32::from(*extra))? as usize;
                    let d = usize::from(self.decode(dist)?);
                    let (base, extra) = DIST_BASE.get(d).zip(DIST_EXTRA.get(d)).ok_or(BAD_CODE)?;
                    let back = usize::from(*base) + self.bits(u32::from(*extra))? as usize;
                    if back > out.len() {
                        return Err("it copies from before its start");
                    }
                    if out.len() + len > limit {
                        return Err(TOO_LONG);
                    }
                    let from = out.len() - back;
                    for k in 0..len {
                        out.push(out[from + k]);
                    }
                }
            }
        }
    }
}

const BAD_CODE: Damage = "it holds a code that means nothing";
const TOO_LONG: Damage = "it holds more than a program may";

/// A canonical Huffman code for decoding: how many codes of each length, and the symbols in
/// code order.
struct Huffman {
    count: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, Damage> {
        let mut count = [0u16; 16];
        for &l in lengths {
            *count.get_mut(usize::from(l)).ok_or(BAD_CODE)? += 1;
        }
        count[0] = 0;
        // More codes than the lengths allow cannot be decoded; fewer (an incomplete code) can.
        let mut left = 1i32;
        for &c in &count[1..] {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return Err("its Huffman code is over-subscribed");
            }
        }
        let mut offset = [0u16; 16];
        for len in 1..15 {
            offset[len + 1] = offset[len] + count[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let slot = &mut offset[usize::from(l)];
                symbols[usize::from(*slot)] = sym as u16;
                *slot += 1;
            }
        }
        Ok(Huffman { count, symbols })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(data: &[u8]) {
        let packed = compress(data);
        assert_eq!(
            decompress(&packed, data.len()).as_deref(),
            Ok(data),
            "{} bytes",
            data.len()
        );
    }

    #[test]
    fn texts_go_through_and_back_smaller() {
        round_trip(b"");
        round_trip(b"a");
        round_trip(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        let program = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    \
                       print('done')\n\nasyncio.run(main())\n"
            .repeat(20);
        round_trip(program.as_bytes());
        assert!(compress(program.as_bytes()).len() < program.len() / 8);
        // Bytes that do not compress are stored, at 5 bytes of overhead.
        let noise: Vec<u8> = (0..70_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        round_trip(&noise);
        assert!(compress(&noise).len() <= noise.len() + 10);
    }

    #[test]
    fn a_stream_past_the_limit_or_damaged_is_refused() {
        let packed = compress(&[b'x'; 1000]);
        assert_eq!(decompress(&packed, 999), Err(TOO_LONG));
        assert_eq!(
            decompress(&packed[..packed.len() - 1], 1000),
            Err(CUT_SHORT)
        );
        assert_eq!(
            decompress(&[0b111], 10),
            Err("it uses a block type that does not exist")
        );
        // A copy from before the start: fixed block, length 3, distance 1, nothing before it.
        let mut w = BitWriter::default();
        w.put(1, 1);
        w.put(1, 2);
        let (lit, dist) = fixed_lengths();
        w.put(codes(&lit)[257], 7);
        w.put(codes(&dist)[0], 5);
        assert_eq!(
            decompress(&w.finish(), 10),
            Err("it copies from before its start")
        );
    }

    /// Streams both ways through CPython's `zlib`: ours it reads, and its (at every level:
    /// stored, fixed and dynamic blocks) ours reads.
    #[test]
    fn cpython_zlib_reads_ours_and_we_read_its() {
        let corpus = std::fs::read_dir("tests/programs/code").expect("the corpus");
        let mut texts: Vec<Vec<u8>> = corpus
            .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
            .take(40)
            .collect();
        texts.push(Vec::new());
        texts.push(b"ab".repeat(5000));
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let ours: Vec<String> = texts.iter().map(|t| hex(&compress(t))).collect();
        let script = r#"
import sys, zlib
for line in sys.stdin.read().split():
    data = zlib.decompress(bytes.fromhex(line.strip(".")), -15)
    print(data.hex() or ".", end=" ")
    for level in (0, 1, 6, 9):
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
        print((c.compress(data) + c.flush()).hex() or ".", end=" ")
    print()
"#;
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(ours.join("\n").as_bytes())
            .expect("written");
        let output = child.wait_with_output().expect("python3 ends");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines = String::from_utf8(output.stdout).expect("utf-8");
        let lines: Vec<&str> = lines.lines().collect();
        assert_eq!(lines.len(), texts.len());
        let unhex = |s: &str| -> Vec<u8> {
            let s = s.trim_matches('.');
            (0..s.len() / 2)
                .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
                .collect()
        };
        let (mut ours_total, mut zlib_total) = (0, 0);
        for ((text, line), packed) in texts.iter().zip(lines).zip(&ours) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(unhex(fields[0]), *text, "CPython reads what we wrote");
            for theirs in &fields[1..] {
                assert_eq!(
                    decompress(&unhex(theirs), text.len()).as_deref(),
                    Ok(&text[..])
                );
            }
            ours_total += packed.len() / 2;
            zlib_total += unhex(fields[4]).len();
        }
        // As small as zlib's best, within a few percent.
        println!(
            "{} programs: ours {ours_total} B, zlib -9 {zlib_total} B",
            texts.len()
        );
        assert!(
            ours_total * 100 <= zlib_total * 104,
            "ours {ours_total} B, zlib {zlib_total} B"
        );
    }

    proptest! {
        #[test]
        fn any_bytes_go_through_and_back(data in proptest::collection::vec(0u8..8, 0..3000)) {
            round_trip(&data);
        }

        #[test]
        fn any_stream_is_read_or_refused_without_a_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decompress(&data, 5000);
        }
    }
}
