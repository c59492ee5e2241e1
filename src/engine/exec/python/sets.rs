//! CPython's set table, for sets of ints: where each member sits, so that a set iterates (and
//! prints) in CPython's order. A set keeps its members in the order they came; its order is
//! that of a table they are put into one by one as CPython puts them (hash = the int modulo
//! 2**61 - 1, linear probes of 9, then perturbed jumps; the table grows to four times its
//! members when three fifths full). A set made at once from a whole table, as CPython makes a
//! set display of constants (a frozenset merged into a new set), starts from that table.

use super::{Dict, Key, Obj};
use crate::engine::lang::python::code::BinOp;

impl Dict {
    /// A set display of constants, as CPython makes it: a frozenset of them (made once more
    /// from its own order by the compiler's constant cache) merged into a new set.
    pub fn constant_set(items: Vec<Obj>) -> Dict {
        let set_of = |items: Vec<Obj>| {
            let mut d = Dict::default();
            for i in items {
                if let Some(k) = i.key() {
                    d.insert(k, i, Obj::None);
                }
            }
            d
        };
        set_of(set_of(items).set_order()).copied_set()
    }

    /// `x | y`, `x & y`, `x - y`, `x ^ y` of two sets, built as CPython builds them, so that
    /// they iterate as CPython's do.
    pub fn set_binary(op: BinOp, x: &Dict, y: &Dict) -> Dict {
        let has = |d: &Dict, k: &Obj| k.key().is_some_and(|key| d.get(&key).is_some());
        let kept = |from: &Dict, keep: &dyn Fn(&Obj) -> bool| {
            let mut out = Dict::default();
            for k in from.set_order().into_iter().filter(|k| keep(k)) {
                if let Some(key) = k.key() {
                    out.insert(key, k, Obj::None);
                }
            }
            out
        };
        match op {
            // A copy of x with y merged in.
            BinOp::Or => {
                let mut out = x.copied_set();
                out.merge_set(y);
                out
            }
            // The smaller set is walked, its members kept if the larger has them.
            BinOp::And if x.len() > y.len() => kept(y, &|k| has(x, k)),
            BinOp::And => kept(x, &|k| has(y, k)),
            BinOp::Sub => kept(x, &|k| !has(y, k)),
            // A copy of y with x's members toggled in it (CPython 3.12's
            // `set_symmetric_difference`).
            _ => {
                let mut out = y.copied_set();
                for k in x.set_order() {
                    if let Some(key) = k.key() {
                        if out.remove(&key).is_none() {
                            out.add_now(key, k);
                        }
                    }
                }
                out
            }
        }
    }

    /// The keys in the order CPython's set iterates them: a set of ints in its table's order;
    /// any other set in the order its members came (CPython's hashes of strs differ from run
    /// to run, so no order of those is CPython's own).
    pub fn set_order(&self) -> Vec<Obj> {
        match self.set_table() {
            Some(table) => table
                .into_iter()
                .flatten()
                .filter_map(|i| self.entries.get(i)?.as_ref().map(|(k, _)| k.clone()))
                .collect(),
            None => self.iter().map(|(k, _)| k.clone()).collect(),
        }
    }

    /// A set of ints' table, each slot the index of the entry in it (`None` for a set of
    /// anything else): its layout, if it was made at once, then its other members put in
    /// one by one.
    fn set_table(&self) -> Option<Vec<Option<usize>>> {
        let mut hashes = vec![0u64; self.entries.len()];
        for (i, e) in self.entries.iter().enumerate() {
            if let Some((k, _)) = e {
                hashes[i] = int_hash(k)?;
            }
        }
        let live = |i: &usize| self.entries.get(*i).is_some_and(Option::is_some);
        let (mut table, laid_out) = match &self.layout {
            Some((t, covered)) => (t.iter().map(|s| s.filter(live)).collect(), *covered),
            None => (vec![None; 8], 0),
        };
        let mut used = table.iter().flatten().count();
        for i in (laid_out..self.entries.len()).filter(live) {
            add(&mut table, &hashes, i, &mut used);
        }
        Some(table)
    }

    /// Makes sure the set's layout covers every entry; false for a set of anything but ints.
    fn lay_out(&mut self) -> bool {
        if self
            .layout
            .as_ref()
            .is_some_and(|(_, covered)| *covered == self.entries.len())
        {
            return true;
        }
        match self.set_table() {
            Some(t) => {
                self.layout = Some((t, self.entries.len()));
                true
            }
            None => false,
        }
    }

    /// `set_add_entry` of a member, put in the table at once, so that a member removed later
    /// leaves a slot this one went past, as in CPython (`^=`, a symmetric difference's
    /// toggles).
    pub fn add_now(&mut self, key: Key, k: Obj) {
        if self.get(&key).is_some() {
            return;
        }
        let laid_out = self.lay_out();
        let hash = int_hash(&k);
        self.insert(key, k, Obj::None);
        let (true, Some(hash)) = (laid_out, hash) else {
            return;
        };
        let i = self.entries.len() - 1;
        let used = self.len;
        let entries = &self.entries;
        let gone =
            |slot: Option<usize>| slot.is_none_or(|j| entries.get(j).is_none_or(Option::is_none));
        if let Some((table, covered)) = &mut self.layout {
            insert_where(table, hash, i, gone);
            *covered = i + 1;
            if used * 5 >= (table.len() - 1) * 3 {
                let wanted = if used > 50_000 { used * 2 } else { used * 4 };
                let old = std::mem::replace(table, vec![None; table_size(wanted)]);
                for j in old.into_iter().flatten() {
                    if let Some(Some((k, _))) = entries.get(j) {
                        insert_clean(table, int_hash(k).unwrap_or(0), j);
                    }
                }
            }
        }
    }

    /// `set.pop()`: the member in the first used slot from where the last pop stopped.
    pub fn pop_member(&mut self) -> Option<Obj> {
        if !self.lay_out() {
            let first = self.iter().next().map(|(k, _)| k.clone())?;
            self.remove(&first.key()?);
            return Some(first);
        }
        let (table, _) = self.layout.as_ref()?;
        let mask = table.len() - 1;
        let mut j = self.finger & mask;
        let found = loop {
            if let Some(i) = table[j].filter(|&i| self.entries.get(i).is_some_and(Option::is_some))
            {
                break i;
            }
            j = (j + 1) & mask;
            if j == self.finger & mask {
                return None;
            }
        };
        self.finger = j + 1;
        let k = self.entries.get(found)?.as_ref()?.0.clone();
        self.remove(&k.key()?);
        Some(k)
    }

    /// `set_merge` of `other` into this set (`s |= t`, `s.update(t)`, and a union after its
    /// copy): into an empty set, a copy (see [`Dict::copied_set`]); else one resize up front
    /// if the two would crowd the table, then each of `other`'s members not here put in, in
    /// the order of `other`'s slots.
    pub fn merge_set(&mut self, other: &Dict) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() {
            *self = other.copied_set();
            return;
        }
        let (Some(mut table), Some(_)) = (self.set_table(), other.set_table()) else {
            for k in other.set_order() {
                if let Some(key) = k.key() {
                    self.insert(key, k, Obj::None);
                }
            }
            return;
        };
        let hash_of = |d: &Dict, i: usize| {
            d.entries
                .get(i)
                .and_then(|e| e.as_ref())
                .and_then(|(k, _)| int_hash(k))
                .unwrap_or(0)
        };
        let mut hashes: Vec<u64> = (0..self.entries.len()).map(|i| hash_of(self, i)).collect();
        let mut used = self.len();
        if (used + other.len()) * 5 >= (table.len() - 1) * 3 {
            let old =
                std::mem::replace(&mut table, vec![None; table_size((used + other.len()) * 2)]);
            for slot in old.into_iter().flatten() {
                insert_clean(&mut table, hashes[slot], slot);
            }
        }
        for k in other.set_order() {
            let (Some(key), Some(h)) = (k.key(), int_hash(&k)) else {
                continue;
            };
            if self.get(&key).is_some() {
                continue;
            }
            self.insert(key, k, Obj::None);
            hashes.push(h);
            add(&mut table, &hashes, self.entries.len() - 1, &mut used);
        }
        self.layout = Some((table, self.entries.len()));
    }

    /// A new set of these members, as CPython's `set_merge` makes one from a set into an
    /// empty one (a display of constants: a frozenset merged into a new set): one resize up
    /// front, then the same table copied slot for slot if it is the same size, else each
    /// member put in anew, in the order of this set's slots.
    pub fn copied_set(&self) -> Dict {
        let mut out = Dict::default();
        let Some(table) = self.set_table() else {
            for (k, v) in self.iter() {
                if let Some(key) = k.key() {
                    out.insert(key, k.clone(), v.clone());
                }
            }
            return out;
        };
        let order: Vec<usize> = table.iter().flatten().copied().collect();
        let mut hashes = Vec::new();
        for &i in &order {
            if let Some(Some((k, v))) = self.entries.get(i) {
                if let (Some(key), Some(h)) = (k.key(), int_hash(k)) {
                    out.insert(key, k.clone(), v.clone());
                    hashes.push(h);
                }
            }
        }
        let used = hashes.len();
        let size = if used * 5 >= 7 * 3 {
            table_size(used * 2)
        } else {
            8
        };
        let layout = if size == table.len() {
            let mut rank = 0;
            table
                .iter()
                .map(|s| {
                    s.map(|_| {
                        rank += 1;
                        rank - 1
                    })
                })
                .collect()
        } else {
            let mut t = vec![None; size];
            for (rank, &h) in hashes.iter().enumerate() {
                insert_clean(&mut t, h, rank);
            }
            t
        };
        out.layout = Some((layout, out.entries.len()));
        out
    }
}

/// `set_add_entry` of entry `i` into `table`, which grows (each member put in anew, in slot
/// order) to four times its members when three fifths full.
fn add(table: &mut Vec<Option<usize>>, hashes: &[u64], i: usize, used: &mut usize) {
    insert_clean(table, hashes[i], i);
    *used += 1;
    if *used * 5 >= (table.len() - 1) * 3 {
        let wanted = if *used > 50_000 { *used * 2 } else { *used * 4 };
        let old = std::mem::replace(table, vec![None; table_size(wanted)]);
        for slot in old.into_iter().flatten() {
            insert_clean(table, hashes[slot], slot);
        }
    }
}

/// `set_table_resize`'s size for `minused`: the smallest power of two above it, at least 8.
fn table_size(minused: usize) -> usize {
    let mut size = 8;
    while size <= minused {
        size <<= 1;
    }
    size
}

/// CPython's hash of an int (or bool), as the unsigned word its set table uses.
fn int_hash(k: &Obj) -> Option<u64> {
    const MODULUS: i128 = (1 << 61) - 1;
    let i = match k {
        Obj::Int(i) => *i as i128,
        Obj::Bool(b) => *b as i128,
        _ => return None,
    };
    let mut h = if i >= 0 {
        i % MODULUS
    } else {
        -((-i) % MODULUS)
    };
    if h == -1 {
        h = -2;
    }
    Some(h as i64 as u64)
}

/// `set_insert_clean`: slot `n`'s member into the first free place its hash's probes reach.
fn insert_clean(table: &mut [Option<usize>], hash: u64, n: usize) {
    insert_where(table, hash, n, |slot| slot.is_none());
}

/// As [`insert_clean`], into the first slot its probes reach that `free` says is free (a
/// slot whose member was removed is free for a new one, as CPython reuses a dummy).
fn insert_where(
    table: &mut [Option<usize>],
    hash: u64,
    n: usize,
    free: impl Fn(Option<usize>) -> bool,
) {
    let mask = table.len() - 1;
    let mut perturb = hash;
    let mut i = (hash as usize) & mask;
    loop {
        if free(table[i]) {
            table[i] = Some(n);
            return;
        }
        if i + 9 <= mask {
            for j in 1..=9 {
                if free(table[i + j]) {
                    table[i + j] = Some(n);
                    return;
                }
            }
        }
        perturb >>= 5;
        i = (i
            .wrapping_mul(5)
            .wrapping_add(1)
            .wrapping_add(perturb as usize))
            & mask;
    }
}
