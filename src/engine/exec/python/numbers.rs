//! Numbers as CPython's builtins make them: `int(s, base)`'s reading of a str, `pow` with a
//! modulus, and `sum`'s running total.

use super::object::{ExcKind, Exception, Obj};
use super::ops::{self, as_int, value_error, Res};

/// A str read as `int(s, base)` reads it: spaces around, a sign, for base 0 (or the base it
/// names) a `0x`, `0o` or `0b` prefix, single underscores between digits; `None` if it is no
/// int of that base, `Some(None)` if it is one too large for 64 bits.
pub(super) fn parse_int(s: &str, base: u32) -> Option<Option<i64>> {
    let t = s.trim();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.get(..2).map(str::to_ascii_lowercase);
    let prefixed = match lower.as_deref() {
        Some("0x") => Some(16),
        Some("0o") => Some(8),
        Some("0b") => Some(2),
        _ => None,
    };
    let (base, digits, after_prefix) = match (base, prefixed) {
        (0, Some(b)) => (b, &t[2..], true),
        (b, Some(p)) if b == p => (b, &t[2..], true),
        (0, None) => {
            // Base 0 reads a decimal, where a leading zero must be all zeros ("010" is not one).
            let all_zero = t.bytes().all(|c| c == b'0' || c == b'_');
            if t.starts_with('0') && !all_zero {
                return None;
            }
            (10, t, false)
        }
        (b, _) => (b, t, false),
    };
    // After a prefix one underscore may come first; otherwise only between digits.
    let digits = match digits.strip_prefix('_') {
        Some(rest) if after_prefix => rest,
        _ => digits,
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars().filter(|&c| c != '_') {
        let d = c.to_digit(base)? as i128;
        value = value * base as i128 + d;
        if value > 1 << 64 {
            return Some(None);
        }
    }
    let value = if negative { -value } else { value };
    Some(i64::try_from(value).ok())
}

/// A whole float as an int (`int(x)` truncates first, `round(x)` rounds first): NaN and the
/// infinities are refused as CPython refuses them, and past 64 bits is Interleave's
/// `OverflowError`.
pub(super) fn float_to_int(f: f64) -> Res<i64> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Exception::msg(
            ExcKind::OverflowError,
            "cannot convert float infinity to integer",
        ));
    }
    // 2**63 is the first float out of range (i64::MAX as f64 rounds up to it).
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&f) {
        return Err(ops::overflow());
    }
    Ok(f as i64)
}

/// `pow(b, e, m)`: `b ** e % m` without the power's size; a negative `e` takes the inverse of
/// `b` modulo `m`, as CPython does since 3.8.
pub(super) fn mod_pow(b: i64, e: i64, m: i64) -> Res<i64> {
    if m == 0 {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    let modulus = (m as i128).abs();
    let mut base = (b as i128).rem_euclid(modulus);
    if e < 0 {
        // The inverse by the extended Euclidean algorithm.
        let (mut r0, mut r1, mut t0, mut t1) = (modulus, base, 0i128, 1i128);
        while r1 != 0 {
            let q = r0 / r1;
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        if r0 != 1 {
            return Err(value_error("base is not invertible for the given modulus"));
        }
        base = t0.rem_euclid(modulus);
    }
    let mut e = (e as i128).unsigned_abs();
    let mut out = 1 % modulus;
    while e > 0 {
        if e & 1 == 1 {
            out = out * base % modulus;
        }
        base = base * base % modulus;
        e >>= 1;
    }
    // The result takes the modulus' sign, as `%` does.
    if m < 0 && out != 0 {
        out -= modulus;
    }
    Ok(out as i64)
}

/// `sum`'s running total, in the loop CPython's `sum` is in.
pub(super) enum Sum {
    Int(i64),
    Float { hi: f64, lo: f64 },
    Any(Obj),
}

impl Sum {
    pub(super) fn of(start: Obj) -> Sum {
        match start {
            Obj::Int(i) => Sum::Int(i),
            Obj::Float(f) => Sum::Float { hi: f, lo: 0.0 },
            other => Sum::Any(other),
        }
    }

    pub(super) fn add(self, x: Obj) -> Res<Sum> {
        use crate::engine::lang::python::code::BinOp::Add;
        Ok(match (self, &x) {
            (Sum::Int(i), Obj::Int(_) | Obj::Bool(_)) => Sum::Int(
                i.checked_add(as_int(&x).unwrap_or(0))
                    .ok_or_else(ops::overflow)?,
            ),
            (Sum::Int(i), _) => Sum::of(ops::binary(Add, &Obj::Int(i), &x)?),
            (Sum::Float { hi, lo }, Obj::Float(f)) => {
                let t = hi + f;
                let lo = if hi.abs() >= f.abs() {
                    lo + ((hi - t) + f)
                } else {
                    lo + ((f - t) + hi)
                };
                Sum::Float { hi: t, lo }
            }
            (Sum::Float { hi, lo }, Obj::Int(_) | Obj::Bool(_)) => Sum::Float {
                hi: hi + as_int(&x).unwrap_or(0) as f64,
                lo,
            },
            (total @ Sum::Float { .. }, _) => Sum::Any(ops::binary(Add, &total.value(), &x)?),
            (Sum::Any(total), _) => Sum::Any(ops::binary(Add, &total, &x)?),
        })
    }

    pub(super) fn value(self) -> Obj {
        match self {
            Sum::Int(i) => Obj::Int(i),
            // The compensation is left out when it is not finite, so an infinite or overflowed
            // sum does not become a NaN.
            Sum::Float { hi, lo } if lo != 0.0 && lo.is_finite() => Obj::Float(hi + lo),
            Sum::Float { hi, .. } => Obj::Float(hi),
            Sum::Any(total) => total,
        }
    }
}
