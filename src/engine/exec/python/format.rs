//! The format-spec mini-language of f-strings and `format()`
//! (`[[fill]align][sign][#][0][width][,|_][.precision][type]`), and `%` formatting.

use crate::engine::lang::value::python_float;

use std::rc::Rc;

use super::object::{ExcKind, Exception, Key, Obj};
use super::ops::{as_f64, as_int, repr, str_of, type_error, value_error, Res};

/// A parsed format spec: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
#[derive(Default)]
struct Spec {
    fill: char,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse_spec(spec: &str) -> Res<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec {
        fill: ' ',
        ..Spec::default()
    };
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = chars[0];
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alt = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        i += 1;
        // `0` fills with zeros unless a fill was given (`{x:<05}` too).
        if !(chars.len() >= 2 && is_align(chars[1])) {
            s.fill = '0';
        }
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        s.width = chars[start..i]
            .iter()
            .collect::<String>()
            .parse()
            .map_err(|_| value_error("Too many decimal digits in format string"))?;
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(value_error("Format specifier missing precision"));
        }
        s.precision = chars[start..i].iter().collect::<String>().parse().ok();
    }
    if i < chars.len() {
        s.kind = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err(value_error("Invalid format specifier"));
    }
    Ok(s)
}

fn group(digits: &str, sep: char, every: usize) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A float in exponent form as Python writes it: `1.500000e+03`.
fn exp_form(x: f64, precision: usize, upper: bool) -> String {
    let s = format!("{:.*e}", precision, x);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let out = format!(
        "{m}{}{}{:02}",
        if upper { 'E' } else { 'e' },
        if e < 0 { '-' } else { '+' },
        e.unsigned_abs()
    );
    out
}

/// `%g`-style: the shorter of fixed and exponent forms with `precision` significant digits.
/// With `dot0` (no presentation type, a precision given: CPython's `Py_DTSF_ADD_DOT_0`), the
/// exponent form starts a digit sooner, leaving room for the `.0` added after.
fn general(x: f64, precision: usize, upper: bool, alt: bool, dot0: bool) -> String {
    let p = precision.max(1);
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{:.*e}", p - 1, x);
    let exp: i32 = e
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let limit = if dot0 { p as i32 - 1 } else { p as i32 };
    let mut s = if exp < -4 || exp >= limit {
        exp_form(x, p - 1, upper)
    } else {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x)
    };
    if alt {
        // The alternate form keeps its point, even with nothing after it.
        if !s.contains('.') {
            let at = s.find(['e', 'E']).unwrap_or(s.len());
            s.insert(at, '.');
        }
    } else if let Some(epos) = s.find(['e', 'E']) {
        let (m, rest) = s.split_at(epos);
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        s = format!("{m}{rest}");
    } else if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    s
}

/// `format(value, spec)`.
pub fn format(value: &Obj, spec: &str) -> Res<String> {
    if spec.is_empty() {
        return Ok(str_of(value));
    }
    let s = parse_spec(spec)?;
    let (sign_part, body): (String, String) = match value {
        Obj::Int(_) | Obj::Bool(_)
            if !matches!(s.kind, Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) =>
        {
            let i = as_int(value).unwrap_or(0);
            if s.precision.is_some() {
                return Err(value_error(
                    "Precision not allowed in integer format specifier",
                ));
            }
            let digits = match s.kind {
                None | Some('d') | Some('n') => i.unsigned_abs().to_string(),
                Some('x') => format!("{:x}", i.unsigned_abs()),
                Some('X') => format!("{:X}", i.unsigned_abs()),
                Some('o') => format!("{:o}", i.unsigned_abs()),
                Some('b') => format!("{:b}", i.unsigned_abs()),
                Some('c') => char::from_u32(i as u32)
                    .map(String::from)
                    .unwrap_or_default(),
                Some('s') if matches!(value, Obj::Bool(_)) => {
                    return Ok(pad(&str_of(value), &s, '<'))
                }
                Some(k) => {
                    return Err(value_error(format!(
                        "Unknown format code '{k}' for object of type '{}'",
                        value.type_name()
                    )))
                }
            };
            let digits = match s.grouping {
                Some(g) => group(
                    &digits,
                    g,
                    if matches!(s.kind, Some('x' | 'X' | 'o' | 'b')) {
                        4
                    } else {
                        3
                    },
                ),
                None => digits,
            };
            let prefix = if s.alt {
                match s.kind {
                    Some('x') => "0x",
                    Some('X') => "0X",
                    Some('o') => "0o",
                    Some('b') => "0b",
                    _ => "",
                }
            } else {
                ""
            };
            (sign_of(i < 0, s.sign) + prefix, digits)
        }
        Obj::Int(_) | Obj::Float(_) | Obj::Bool(_) => {
            let x = as_f64(value).unwrap_or(0.0);
            let neg = x.is_sign_negative() && !x.is_nan();
            let a = x.abs();
            let body = if a.is_nan() {
                "nan".to_string()
            } else if a.is_infinite() {
                "inf".to_string()
            } else {
                match s.kind {
                    Some('f') | Some('F') => format!("{:.*}", s.precision.unwrap_or(6), a),
                    Some('e') | Some('E') => {
                        exp_form(a, s.precision.unwrap_or(6), s.kind == Some('E'))
                    }
                    Some('%') => format!("{:.*}%", s.precision.unwrap_or(6), a * 100.0),
                    Some('g') | Some('G') => {
                        let upper = s.kind == Some('G');
                        general(a, s.precision.unwrap_or(6), upper, s.alt, false)
                    }
                    None => match s.precision {
                        Some(p) => {
                            let g = general(a, p, false, s.alt, true);
                            if g.contains(['.', 'e']) {
                                g
                            } else {
                                format!("{g}.0")
                            }
                        }
                        None => python_float(a),
                    },
                    Some('n') => general(a, s.precision.unwrap_or(6), false, s.alt, false),
                    Some(k) => {
                        return Err(value_error(format!(
                            "Unknown format code '{k}' for object of type '{}'",
                            value.type_name()
                        )))
                    }
                }
            };
            let body = match s.grouping {
                Some(g) => {
                    let (int_part, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                        Some(p) => body.split_at(p),
                        None => (body.as_str(), ""),
                    };
                    format!("{}{rest}", group(int_part, g, 3))
                }
                None => body,
            };
            (sign_of(neg, s.sign), body)
        }
        _ => {
            if let Some(k) = s.kind.filter(|k| *k != 's') {
                return Err(value_error(format!(
                    "Unknown format code '{k}' for object of type '{}'",
                    value.type_name()
                )));
            }
            if s.sign.is_some() {
                return Err(value_error("Sign not allowed in string format specifier"));
            }
            let mut text = str_of(value);
            if let Some(p) = s.precision {
                text = text.chars().take(p).collect();
            }
            return Ok(pad(&text, &s, '<'));
        }
    };
    let len = sign_part.chars().count() + body.chars().count();
    if s.width <= len {
        return Ok(sign_part + &body);
    }
    // Zeros that pad a grouped number are grouped too (`{1234:08,}` is `0,001,234`).
    if let (Some(sep), true, None) = (s.grouping, s.zero, s.align) {
        let hex = matches!(s.kind, Some('x' | 'X'));
        let every = if hex || matches!(s.kind, Some('o' | 'b')) {
            4
        } else {
            3
        };
        let digit = |c: char| c.is_ascii_digit() || (hex && c.is_ascii_hexdigit());
        let end = body
            .find(|c: char| !digit(c) && c != sep)
            .unwrap_or(body.len());
        let (int_part, rest) = body.split_at(end);
        let digits: String = int_part.chars().filter(|&c| digit(c)).collect();
        let want = s.width - sign_part.chars().count() - rest.chars().count();
        let mut d = digits.len();
        while d + (d.max(1) - 1) / every < want {
            d += 1;
        }
        let padded = "0".repeat(d - digits.len()) + &digits;
        return Ok(sign_part + &group(&padded, sep, every) + rest);
    }
    let fill_n = s.width - len;
    let (fill, align) = if s.zero && s.align.is_none() {
        ('0', '=')
    } else {
        (s.fill, s.align.unwrap_or('>'))
    };
    let f: String = std::iter::repeat_n(fill, fill_n).collect();
    Ok(match align {
        '<' => sign_part + &body + &f,
        '^' => {
            let left: String = std::iter::repeat_n(fill, fill_n / 2).collect();
            let right: String = std::iter::repeat_n(fill, fill_n - fill_n / 2).collect();
            left + &sign_part + &body + &right
        }
        '=' => sign_part + &f + &body,
        _ => f + &sign_part + &body,
    })
}

fn sign_of(neg: bool, sign: Option<char>) -> String {
    if neg {
        "-".into()
    } else {
        match sign {
            Some('+') => "+".into(),
            Some(' ') => " ".into(),
            _ => String::new(),
        }
    }
}

fn pad(text: &str, s: &Spec, default: char) -> String {
    let len = text.chars().count();
    if s.width <= len {
        return text.to_string();
    }
    let n = s.width - len;
    let fill = s.fill;
    let rep = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match s.align.unwrap_or(default) {
        '>' => rep(n) + text,
        '^' => rep(n / 2) + text + &rep(n - n / 2),
        _ => text.to_string() + &rep(n),
    }
}

/// `format % args`.
pub fn percent_format(f: &str, args: &Obj) -> Res<String> {
    let items: Vec<Obj> = match args {
        Obj::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    let mut next = 0;
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // `%(name)s`: the value is the mapping's, under that key (parentheses may nest).
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let (mut depth, mut name) = (1, String::new());
            loop {
                match chars.next() {
                    Some('(') => depth += 1,
                    Some(')') if depth == 1 => break,
                    Some(')') => depth -= 1,
                    Some(c) => {
                        name.push(c);
                        continue;
                    }
                    None => return Err(value_error("incomplete format key")),
                }
                name.push(if depth > 1 { '(' } else { ')' });
            }
            key = Some(name);
        }
        let mut spec = String::new();
        let mut kind = None;
        for c in chars.by_ref() {
            if c.is_ascii_alphabetic() || c == '%' {
                kind = Some(c);
                break;
            }
            // `*`: the width or precision is the next argument.
            if c == '*' {
                let Some(n) = items.get(next) else {
                    return Err(type_error("not enough arguments for format string"));
                };
                next += 1;
                let Obj::Int(n) = n else {
                    return Err(type_error("* wants int"));
                };
                if *n < 0 && !spec.contains('.') {
                    spec.push('-');
                }
                spec.push_str(&n.unsigned_abs().to_string());
                continue;
            }
            spec.push(c);
        }
        let Some(kind) = kind else {
            return Err(value_error("incomplete format"));
        };
        if kind == '%' {
            out.push('%');
            continue;
        }
        let looked_up;
        let arg = match &key {
            Some(k) => {
                let Obj::Dict(d) = args else {
                    return Err(type_error("format requires a mapping"));
                };
                let found = d.borrow().get(&Key::Str(Rc::from(k.as_str()))).cloned();
                looked_up =
                    found.ok_or_else(|| Exception::new(ExcKind::KeyError, vec![Obj::str(k)]))?;
                &looked_up
            }
            None => {
                let Some(arg) = items.get(next) else {
                    return Err(type_error("not enough arguments for format string"));
                };
                next += 1;
                arg
            }
        };
        let (flags, rest): (String, String) = {
            let p = spec
                .find(|c: char| !matches!(c, '-' | '+' | ' ' | '0' | '#'))
                .unwrap_or(spec.len());
            (spec[..p].to_string(), spec[p..].to_string())
        };
        let align = if flags.contains('-') { "<" } else { ">" };
        let zero = flags.contains('0') && !flags.contains('-');
        let sign = if flags.contains('+') {
            "+"
        } else if flags.contains(' ') {
            " "
        } else {
            ""
        };
        let alternate = if flags.contains('#') { "#" } else { "" };
        let py_spec = |k: &str| {
            format!(
                "{}{sign}{alternate}{}{rest}{k}",
                if zero { "" } else { align },
                if zero { "0" } else { "" }
            )
        };
        // An integer with a precision: its digits zero-padded to it, then sign, prefix, width.
        if let (Some((width, precision)), 'd' | 'i' | 'u' | 'x' | 'X' | 'o', Some(i)) = (
            rest.split_once('.'),
            kind,
            // `%d` truncates a float; `%x` and `%o` take ints only (the error below).
            as_int(arg).or_else(|| {
                matches!(kind, 'd' | 'i' | 'u')
                    .then(|| as_f64(arg).map(|f| f as i64))
                    .flatten()
            }),
        ) {
            let digits = match kind {
                'x' => format!("{:x}", i.unsigned_abs()),
                'X' => format!("{:X}", i.unsigned_abs()),
                'o' => format!("{:o}", i.unsigned_abs()),
                _ => i.unsigned_abs().to_string(),
            };
            let precision: usize = precision.parse().unwrap_or(0);
            let prefix = match (alternate, kind) {
                ("#", 'x') => "0x",
                ("#", 'X') => "0X",
                ("#", 'o') => "0o",
                _ => "",
            };
            let sign = if i < 0 { "-" } else { sign };
            let body = format!("{sign}{prefix}{digits:0>precision$}");
            let width: usize = width.parse().unwrap_or(0);
            out.push_str(&match (flags.contains('-'), zero) {
                (true, _) => format!("{body:<width$}"),
                (false, true) => format!(
                    "{sign}{prefix}{digits:0>w$}",
                    w = width
                        .saturating_sub(sign.len() + prefix.len())
                        .max(precision)
                ),
                _ => format!("{body:>width$}"),
            });
            continue;
        }
        let piece = match kind {
            's' => format(&Obj::str(&str_of(arg)), &py_spec(""))?,
            'r' => format(&Obj::str(&repr(arg)), &py_spec(""))?,
            'a' => format(&Obj::str(&ascii(&repr(arg))), &py_spec(""))?,
            'c' => {
                let c = match arg {
                    Obj::Int(i) => {
                        u32::try_from(*i)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                Exception::msg(
                                    ExcKind::OverflowError,
                                    "%c arg not in range(0x110000)",
                                )
                            })?
                    }
                    Obj::Str(s) if s.chars().count() == 1 => s.chars().next().unwrap_or(' '),
                    _ => return Err(type_error("%c requires int or char")),
                };
                format(&Obj::str(c.encode_utf8(&mut [0; 4])), &py_spec(""))?
            }
            'd' | 'i' | 'u' => {
                let v = match arg {
                    Obj::Float(f) => Obj::Int(f.trunc() as i64),
                    Obj::Int(_) | Obj::Bool(_) => Obj::Int(as_int(arg).unwrap_or(0)),
                    other => {
                        return Err(type_error(format!(
                            "%d format: a real number is required, not {}",
                            other.type_name()
                        )))
                    }
                };
                format(&v, &py_spec("d"))?
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' => {
                if as_f64(arg).is_none() {
                    return Err(type_error(format!(
                        "must be real number, not {}",
                        arg.type_name()
                    )));
                }
                let v = if matches!(kind, 'x' | 'X' | 'o') {
                    let Some(i) = as_int(arg) else {
                        return Err(type_error(format!(
                            "%{kind} format: an integer is required, not {}",
                            arg.type_name()
                        )));
                    };
                    Obj::Int(i)
                } else {
                    Obj::Float(as_f64(arg).unwrap_or(0.0))
                };
                format(&v, &py_spec(&kind.to_string()))?
            }
            other => {
                return Err(value_error(format!(
                    "unsupported format character '{other}' (0x{:x})",
                    other as u32
                )))
            }
        };
        out.push_str(&piece);
    }
    // A leftover argument is an error, unless the one argument is a mapping (or a list, which
    // CPython takes for one) that the format never looked into.
    if next < items.len() && !matches!(args, Obj::Dict(_) | Obj::List(_)) {
        return Err(type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

/// `ascii()` of a repr: what is not ASCII escaped as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
fn ascii(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `reprlib.repr(v)` with its default limits, as asyncio shows a future's result: long strs
/// and numbers cut in the middle, containers to their first few items (6, a dict's 4),
/// nesting to 6 levels, a dict's keys and a set's items sorted when they sort.
pub fn short_repr(v: &Obj) -> String {
    short_repr_at(v, 6)
}

fn short_repr_at(v: &Obj, level: usize) -> String {
    let cut = |s: String, max: usize| -> String {
        let n = s.chars().count();
        if n <= max {
            return s;
        }
        let i = (max - 3) / 2;
        let j = max - 3 - i;
        let head: String = s.chars().take(i).collect();
        let tail: String = s.chars().skip(n - j).collect();
        format!("{head}...{tail}")
    };
    let items = |open: &str, close: &str, xs: Vec<Obj>, max: usize, one: &str| -> String {
        if xs.is_empty() {
            return format!("{open}{close}");
        }
        if level == 0 {
            return format!("{open}...{close}");
        }
        let mut parts: Vec<String> = xs
            .iter()
            .take(max)
            .map(|x| short_repr_at(x, level - 1))
            .collect();
        if xs.len() > max {
            parts.push("...".into());
        }
        let trail = if xs.len() == 1 { one } else { "" };
        format!("{open}{}{trail}{close}", parts.join(", "))
    };
    let sorted = |mut xs: Vec<Obj>| -> Vec<Obj> {
        let numbers = xs
            .iter()
            .all(|x| matches!(x, Obj::Int(_) | Obj::Bool(_) | Obj::Float(_)));
        if numbers {
            xs.sort_by(|a, b| {
                as_f64(a)
                    .partial_cmp(&as_f64(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        } else if xs.iter().all(|x| matches!(x, Obj::Str(_))) {
            xs.sort_by_key(str_of);
        }
        xs
    };
    match v {
        Obj::Str(s) => {
            let first: String = s.chars().take(30).collect();
            let r = repr(&Obj::str(&first));
            if r.chars().count() <= 30 {
                return r;
            }
            // The str's two ends, shown as their repr's two ends around the dots, sliced as
            // Python slices `x[len(x) - 14:]` (a negative start counts from the end).
            let chars: Vec<char> = s.chars().collect();
            let tail_of = |xs: &[char]| -> String {
                let n = xs.len() as i64;
                let start = if n >= 14 { n - 14 } else { (2 * n - 14).max(0) };
                xs[start as usize..].iter().collect()
            };
            let head: String = chars.iter().take(13).collect();
            let r: Vec<char> = repr(&Obj::str(&(head + &tail_of(&chars))))
                .chars()
                .collect();
            let head: String = r.iter().take(13).collect();
            format!("{head}...{}", tail_of(&r))
        }
        Obj::Int(_) => cut(repr(v), 40),
        Obj::List(l) => items("[", "]", l.borrow().clone(), 6, ""),
        Obj::Tuple(t) => items("(", ")", t.to_vec(), 6, ","),
        Obj::Set(d) if d.borrow().is_empty() => "set()".into(),
        Obj::Set(d) => items("{", "}", sorted(d.borrow().set_order()), 6, ""),
        Obj::Dict(d) => {
            let d = d.borrow();
            if d.is_empty() {
                return "{}".into();
            }
            if level == 0 {
                return "{...}".into();
            }
            let keys = sorted(d.iter().map(|(k, _)| k.clone()).collect());
            let mut parts: Vec<String> = keys
                .iter()
                .take(4)
                .map(|k| {
                    let value = k
                        .key()
                        .and_then(|key| d.get(&key).cloned())
                        .unwrap_or_default();
                    format!(
                        "{}: {}",
                        short_repr_at(k, level - 1),
                        short_repr_at(&value, level - 1)
                    )
                })
                .collect();
            if keys.len() > 4 {
                parts.push("...".into());
            }
            format!("{{{}}}", parts.join(", "))
        }
        other => cut(repr(other), 30),
    }
}
