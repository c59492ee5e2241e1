//! Values that scenario programs compute, print and return, shown the way Python shows them.

use std::fmt;
use std::rc::Rc;

use crate::engine::lang::ids::{FnId, TaskId};

/// A coroutine object: a call that has been made but not yet run (Python's `foo(x)` before
/// `await`), or a sleep that has been asked for but not yet awaited.
#[derive(Clone, Debug, PartialEq)]
pub enum Coroutine {
    /// A call of one of the program's functions with its arguments.
    Call {
        /// The function called.
        func: FnId,
        /// Its name, for messages and task names.
        name: Rc<str>,
        /// The argument values.
        args: Vec<Value>,
    },
    /// `asyncio.sleep(secs)`.
    Sleep(f64),
}

/// A value in a scenario program.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// Python's `None`: what a function without `return` gives.
    #[default]
    None,
    /// `True` / `False`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    Str(Rc<str>),
    /// A list, e.g. the results of `gather`.
    List(Rc<Vec<Value>>),
    /// A dictionary with text keys, in insertion order, e.g. `{'data': 1}`.
    Dict(Rc<Vec<(Rc<str>, Value)>>),
    /// A coroutine object, not yet awaited.
    Coroutine(Rc<Coroutine>),
    /// A handle to a task created with `create_task`.
    Task(TaskId),
}

impl Value {
    /// Text value.
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    /// The value as a number of seconds, if it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            Value::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// Python's truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Coroutine(_) | Value::Task(_) => true,
        }
    }

    /// Python's `repr()`: strings quoted, as inside a list.
    pub fn repr(&self) -> String {
        match self {
            Value::Str(s) => quote(s),
            other => other.to_string(),
        }
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
            Value::Coroutine(_) => "coroutine",
            Value::Task(_) => "Task",
        }
    }
}

/// Python's `repr` of a str: quoted, escaped as CPython escapes it.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            // Control characters, as Python writes them (other unprintable characters of
            // Unicode are shown as they are).
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                out.push_str("\\x");
                out.push_str(&fixed_hex(c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Two lower-case hex digits.
fn fixed_hex(n: u32) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let (hi, lo) = ((n >> 4) & 15, n & 15);
    [DIGITS[hi as usize] as char, DIGITS[lo as usize] as char]
        .iter()
        .collect()
}

/// A Rust string literal for `s` (`"say \"hi\""`): what `{:?}` gives for text without unusual
/// characters, with control characters escaped. Written out because `{:?}` brings the whole
/// Unicode printability tables into the shipped module.
pub fn rust_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Formats a float as Python's `repr` (and `str`) does: the shortest digits that read back as
/// the same float, written with a decimal point between 1e-4 and 1e16 (`2.0`, `0.25`,
/// `0.0001`), with an exponent of at least two digits outside (`1e-05`, `1.5e+16`).
pub fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits, in scientific form: `1.5e-5`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if f.is_sign_negative() {
        out.push('-');
    }
    if !(-5 < exp && exp < 16) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    } else if exp < 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() > point {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        } else {
            out.push_str(&digits);
            out.push_str(&"0".repeat(point - digits.len()));
            out.push_str(".0");
        }
    }
    out
}

/// Formats a number of seconds for people: `2`, `0.25`, `1.5` (no trailing zeros).
pub fn seconds(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = fixed(f, 6);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `x` with `digits` decimals (at most 9), for drawing and for people: what `{:.N}` prints,
/// but for a tie at the last digit, which this rounds away from zero on the scaled value.
/// Written out because the standard exact formatting costs several kilobytes of the page.
pub fn fixed(x: f64, digits: u32) -> String {
    let digits = digits.min(9);
    let scale = 10u64.pow(digits);
    let n = (x * scale as f64).round();
    if !n.is_finite() || n.abs() >= 9e15 {
        return format!("{x}");
    }
    let n = n as i64;
    let sign = if n < 0 { "-" } else { "" };
    let (whole, part) = (n.unsigned_abs() / scale, n.unsigned_abs() % scale);
    if digits == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0width$}", width = digits as usize)
    }
}

/// Seconds for people, to the millisecond: `2`, `0.25`, `1.152`.
pub fn seconds_ms(t: f64) -> String {
    seconds((t * 1000.0).round() / 1000.0)
}

impl fmt::Display for Value {
    /// Python's `str()`: what `print` shows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => f.write_str("None"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&python_float(*x)),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&v.repr())?;
                }
                f.write_str("]")
            }
            Value::Dict(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {}", quote(k), v.repr())?;
                }
                f.write_str("}")
            }
            Value::Coroutine(c) => match &**c {
                Coroutine::Call { name, .. } => write!(f, "<coroutine object {name}>"),
                Coroutine::Sleep(_) => f.write_str("<coroutine object sleep>"),
            },
            Value::Task(id) => write!(f, "<Task {}>", id.0),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_quote_writes_what_debug_does_for_ordinary_text() {
        for s in [
            "",
            "plain",
            "say \"hi\"",
            "back\\slash",
            "two\nlines\tand\rtab",
            "naïve café ☕",
        ] {
            assert_eq!(super::rust_quote(s), format!("{s:?}"));
        }
        assert_eq!(super::rust_quote("bell\u{7}"), "\"bell\\u{7}\"");
    }

    use super::*;

    #[test]
    fn values_print_as_python_prints_them() {
        let dict = Value::Dict(Rc::new(vec![(Rc::from("data"), Value::Int(1))]));
        assert_eq!(dict.to_string(), "{'data': 1}");
        let list = Value::List(Rc::new(vec![Value::Int(3), Value::Int(6)]));
        assert_eq!(list.to_string(), "[3, 6]");
        let mixed = Value::List(Rc::new(vec![
            Value::str("a"),
            Value::Float(2.0),
            Value::None,
        ]));
        assert_eq!(mixed.to_string(), "['a', 2.0, None]");
        assert_eq!(Value::str("it's").repr(), "\"it's\"");
        assert_eq!(Value::Float(0.25).to_string(), "0.25");
        assert_eq!(Value::Bool(true).to_string(), "True");
    }

    #[test]
    fn floats_print_as_python_repr() {
        // Printed by CPython 3.12: repr() of each.
        let cases = [
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (0.25, "0.25"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (9999999999999998.0, "9999999999999998.0"),
            (1.5e16, "1.5e+16"),
            (123456789.125, "123456789.125"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5e-7, "-2.5e-07"),
            (600.0, "600.0"),
            (0.0005, "0.0005"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
        ];
        for (f, want) in cases {
            assert_eq!(python_float(f), want, "{f:e}");
        }
    }

    #[test]
    fn seconds_drop_trailing_zeros() {
        assert_eq!(seconds(2.0), "2");
        assert_eq!(seconds(1e-7), "0");
        assert_eq!(seconds(0.25), "0.25");
        assert_eq!(seconds(0.1 + 0.2), "0.3");
        assert_eq!(seconds(3.0505), "3.0505");
    }

    #[test]
    fn strings_repr_as_python_does() {
        // What CPython's repr() prints for each.
        let cases = [
            ("plain", "'plain'"),
            ("it's", "\"it's\""),
            ("tab\there", "'tab\\there'"),
            ("a\r\nb", "'a\\r\\nb'"),
            ("back\\slash", "'back\\\\slash'"),
            ("bell\x07 del\x7f c1\u{85}", "'bell\\x07 del\\x7f c1\\x85'"),
            ("é 😀", "'é 😀'"),
        ];
        for (s, repr) in cases {
            assert_eq!(Value::str(s).repr(), repr, "{s:?}");
        }
    }

    #[test]
    fn truthiness_follows_python() {
        assert!(!Value::None.truthy());
        assert!(!Value::Int(0).truthy());
        assert!(Value::str("x").truthy());
        assert!(!Value::List(Rc::new(vec![])).truthy());
    }

    #[test]
    fn fixed_prints_as_the_standard_precision_does_but_for_ties() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let x = (next() % 2_000_000_000) as f64 / 1e4 - 100_000.0;
            let x = x * if next() % 3 == 0 { 1e-3 } else { 1.0 };
            for d in [0u32, 1, 2, 3, 4, 6] {
                let scaled = x * 10f64.powi(d as i32);
                let tie = (scaled.abs().fract() - 0.5).abs() < 1e-6;
                let mut want = format!("{x:.prec$}", prec = d as usize);
                // A negative that rounds to zero prints as zero here, without its sign.
                if want.trim_start_matches(['-', '0', '.']).is_empty() {
                    want = want.trim_start_matches('-').to_string();
                }
                if !tie {
                    assert_eq!(fixed(x, d), want, "{x} to {d} places");
                }
            }
        }
        assert_eq!(fixed(1.0 / 3.0, 3), "0.333");
        assert_eq!(fixed(-2.5e-5, 4), "0.0000");
        assert_eq!(fixed(f64::INFINITY, 2), "inf");
    }
}
