//! The methods of str: searching, splitting and padding as CPython's do, with their `start`,
//! `end`, `maxsplit` and `count` arguments, and `str.format`.

use std::rc::Rc;

use super::builtins::{arg, int_arg};
use super::methods::no_attr;
use super::object::{ExcKind, Exception, Obj};
use super::ops::{self, repr, type_error, value_error, Res};
use super::Vm;

pub(super) const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "join",
    "replace",
    "startswith",
    "endswith",
    "find",
    "rfind",
    "rindex",
    "count",
    "center",
    "ljust",
    "rjust",
    "zfill",
    "title",
    "format",
    "capitalize",
    "isdigit",
    "isdecimal",
    "isnumeric",
    "isalpha",
    "isalnum",
    "isspace",
    "isupper",
    "islower",
    "swapcase",
    "casefold",
    "removeprefix",
    "removesuffix",
    "partition",
    "rpartition",
    "index",
    "splitlines",
];

pub(super) fn str_method(
    vm: &Vm,
    s: &Rc<str>,
    name: &str,
    args: &[Obj],
    kwargs: &[(Rc<str>, Obj)],
) -> Res {
    let a0 = arg(args, 0);
    // An argument by position or by keyword (`split(maxsplit=1)`).
    let named = |i: usize, key: &str| -> Option<Obj> {
        args.get(i).cloned().or_else(|| {
            kwargs
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| v.clone())
        })
    };
    // `start` and `end` (arguments `i` and `i + 1`) as a byte range of `s`, or None when start
    // lies past the end.
    let window = |i: usize| -> Res<Option<(usize, usize)>> {
        let n = s.chars().count() as i64;
        let int = |j: usize, default: i64| -> Res<i64> {
            match args.get(j) {
                None | Some(Obj::None) => Ok(default),
                Some(v) => int_arg(v),
            }
        };
        let clamp = |v: i64| if v < 0 { (v + n).max(0) } else { v.min(n) };
        let start = int(i, 0)?;
        if start > n {
            return Ok(None);
        }
        let (lo, hi) = (clamp(start), clamp(int(i + 1, n)?));
        let byte = |c: i64| s.char_indices().nth(c as usize).map_or(s.len(), |(b, _)| b);
        Ok(Some((byte(lo), byte(hi.max(lo)))))
    };
    let text = |x: &Obj| -> Res<String> {
        match x {
            Obj::Str(s) => Ok(s.to_string()),
            other => Err(type_error(format!(
                "must be str, not {}",
                other.type_name()
            ))),
        }
    };
    let width = || -> Res<usize> { Ok(int_arg(&a0)?.max(0) as usize) };
    let fill = || -> char {
        match args.get(1) {
            Some(Obj::Str(f)) => f.chars().next().unwrap_or(' '),
            _ => ' ',
        }
    };
    let len = s.chars().count();
    Ok(match name {
        "upper" => Obj::str(&s.to_uppercase()),
        "lower" => Obj::str(&s.to_lowercase()),
        "strip" | "lstrip" | "rstrip" => {
            let chars: Option<Vec<char>> = match &a0 {
                Obj::Str(c) => Some(c.chars().collect()),
                _ => None,
            };
            let m = |c: char| match &chars {
                Some(cs) => cs.contains(&c),
                None => c.is_whitespace(),
            };
            Obj::str(match name {
                "strip" => s.trim_matches(m),
                "lstrip" => s.trim_start_matches(m),
                _ => s.trim_end_matches(m),
            })
        }
        "split" | "rsplit" => {
            let max = match named(1, "maxsplit") {
                Some(m) => int_arg(&m)?,
                None => -1,
            };
            let max = if max < 0 { usize::MAX } else { max as usize };
            let parts: Vec<&str> = match named(0, "sep").unwrap_or(Obj::None) {
                Obj::None => split_whitespace(s, max, name == "rsplit"),
                Obj::Str(sep) => {
                    if sep.is_empty() {
                        return Err(value_error("empty separator"));
                    }
                    let pieces = max.saturating_add(1);
                    if name == "split" {
                        s.splitn(pieces, &*sep).collect()
                    } else {
                        let mut v: Vec<&str> = s.rsplitn(pieces, &*sep).collect();
                        v.reverse();
                        v
                    }
                }
                other => {
                    return Err(type_error(format!(
                        "must be str or None, not {}",
                        other.type_name()
                    )))
                }
            };
            Obj::list(parts.into_iter().map(Obj::str).collect())
        }
        "splitlines" => {
            let keep = named(0, "keepends").is_some_and(|k| k.truthy());
            Obj::list(split_lines(s, keep).into_iter().map(Obj::str).collect())
        }
        "join" => {
            let items = vm.items(&a0)?;
            let mut parts = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                match x {
                    Obj::Str(p) => parts.push(p.to_string()),
                    other => {
                        return Err(type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )))
                    }
                }
            }
            Obj::str(&parts.join(s))
        }
        "replace" => {
            let (old, new) = (text(&a0)?, text(&arg(args, 1))?);
            match named(2, "count").map(|c| int_arg(&c)).transpose()? {
                Some(n) if n >= 0 => Obj::str(&s.replacen(&old, &new, n as usize)),
                _ => Obj::str(&s.replace(&old, &new)),
            }
        }
        "startswith" | "endswith" => {
            let whole = match &a0 {
                Obj::Tuple(t) => t.to_vec(),
                Obj::Str(_) => vec![a0.clone()],
                other => {
                    return Err(type_error(format!(
                        "{name} first arg must be str or a tuple of str, not {}",
                        other.type_name()
                    )))
                }
            };
            let Some((lo, hi)) = window(1)? else {
                return Ok(Obj::Bool(false));
            };
            let part = &s[lo..hi];
            let mut hit = false;
            for w in &whole {
                let w = text(w)?;
                hit |= if name == "startswith" {
                    part.starts_with(&w)
                } else {
                    part.ends_with(&w)
                };
            }
            Obj::Bool(hit)
        }
        "find" | "index" | "rfind" | "rindex" => {
            let sub = text(&a0)?;
            let found = window(1)?.and_then(|(lo, hi)| {
                let part = &s[lo..hi];
                let at = if name.starts_with('r') {
                    part.rfind(&sub)
                } else {
                    part.find(&sub)
                };
                at.map(|b| s[..lo + b].chars().count() as i64)
            });
            match found {
                Some(i) => Obj::Int(i),
                None if name.ends_with("find") => Obj::Int(-1),
                None => return Err(value_error("substring not found")),
            }
        }
        "count" => {
            let sub = text(&a0)?;
            match window(1)? {
                None => Obj::Int(0),
                Some((lo, hi)) if sub.is_empty() => Obj::Int(s[lo..hi].chars().count() as i64 + 1),
                Some((lo, hi)) => Obj::Int(s[lo..hi].matches(&sub).count() as i64),
            }
        }
        "center" | "ljust" | "rjust" => {
            let w = width()?;
            if w <= len {
                Obj::Str(s.clone())
            } else {
                let n = w - len;
                let f = fill();
                let rep = |k: usize| std::iter::repeat_n(f, k).collect::<String>();
                Obj::str(&match name {
                    "ljust" => format!("{s}{}", rep(n)),
                    "rjust" => format!("{}{s}", rep(n)),
                    _ => {
                        let left = n / 2 + (n & w & 1);
                        format!("{}{s}{}", rep(left), rep(n - left))
                    }
                })
            }
        }
        "zfill" => {
            let w = width()?;
            if w <= len {
                Obj::Str(s.clone())
            } else {
                let (sign, rest) = match s.chars().next() {
                    Some(c @ ('-' | '+')) => (c.to_string(), &s[1..]),
                    _ => (String::new(), &s[..]),
                };
                Obj::str(&format!("{sign}{}{rest}", "0".repeat(w - len)))
            }
        }
        "title" | "capitalize" => {
            let mut out = String::new();
            let mut start = true;
            for c in s.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = if name == "title" {
                    !c.is_alphabetic()
                } else {
                    false
                };
            }
            Obj::str(&out)
        }
        "isdigit" | "isdecimal" => {
            Obj::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        }
        "isnumeric" => Obj::Bool(!s.is_empty() && s.chars().all(char::is_numeric)),
        "isalpha" => Obj::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "isalnum" => Obj::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
        "isspace" => Obj::Bool(!s.is_empty() && s.chars().all(char::is_whitespace)),
        // Cased characters, all of one case (others, like digits, do not count).
        "isupper" | "islower" => {
            let upper = name == "isupper";
            let cased = s.chars().filter(|c| c.is_uppercase() || c.is_lowercase());
            let mut any = false;
            let mut all = true;
            for c in cased {
                any = true;
                all &= c.is_uppercase() == upper;
            }
            Obj::Bool(any && all)
        }
        "swapcase" => Obj::str(
            &s.chars()
                .flat_map(|c| {
                    let swapped: Vec<char> = if c.is_uppercase() {
                        c.to_lowercase().collect()
                    } else {
                        c.to_uppercase().collect()
                    };
                    swapped
                })
                .collect::<String>(),
        ),
        "casefold" => Obj::str(&s.to_lowercase()),
        "removeprefix" => Obj::str(s.strip_prefix(&*text(&a0)?).unwrap_or(s)),
        "removesuffix" => Obj::str(s.strip_suffix(&*text(&a0)?).unwrap_or(s)),
        "partition" | "rpartition" => {
            let sep = text(&a0)?;
            if sep.is_empty() {
                return Err(value_error("empty separator"));
            }
            let at = if name == "partition" {
                s.find(&sep)
            } else {
                s.rfind(&sep)
            };
            let parts = match at {
                Some(b) => [&s[..b], &sep[..], &s[b + sep.len()..]],
                None if name == "partition" => [&s[..], "", ""],
                None => ["", "", &s[..]],
            };
            Obj::tuple(parts.iter().map(|p| Obj::str(p)).collect())
        }
        "format" => Obj::str(&str_format(vm, s, args, kwargs)?),
        _ => return Err(no_attr(&Obj::Str(s.clone()), name)),
    })
}

/// `str.split()` and `str.rsplit()` on runs of whitespace, at most `max` times (from the right
/// for `rsplit`): what is left after the last split keeps its spaces on the far side.
fn split_whitespace(s: &str, max: usize, from_right: bool) -> Vec<&str> {
    let mut out = Vec::new();
    if from_right {
        let mut rest = s.trim_end();
        while !rest.is_empty() {
            if out.len() == max {
                out.push(rest);
                break;
            }
            match rest.rfind(char::is_whitespace) {
                Some(b) => {
                    let w = rest[b..].chars().next().map_or(1, char::len_utf8);
                    out.push(&rest[b + w..]);
                    rest = rest[..b].trim_end();
                }
                None => {
                    out.push(rest);
                    break;
                }
            }
        }
        out.reverse();
    } else {
        let mut rest = s.trim_start();
        while !rest.is_empty() {
            if out.len() == max {
                out.push(rest);
                break;
            }
            match rest.find(char::is_whitespace) {
                Some(b) => {
                    out.push(&rest[..b]);
                    rest = rest[b..].trim_start();
                }
                None => {
                    out.push(rest);
                    break;
                }
            }
        }
    }
    out
}

/// `str.splitlines()`: lines end at `\n`, `\r`, `\r\n` and the other line boundaries Python
/// knows (`\v`, `\f`, `\x1c`-`\x1e`, `\x85`, `\u2028`, `\u2029`), kept with `keepends`.
fn split_lines(s: &str, keep: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !ends {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && chars.peek().map(|&(_, d)| d) == Some('\n') {
            chars.next();
            end += 1;
        }
        out.push(if keep { &s[start..end] } else { &s[start..i] });
        start = end;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `str.format`: fields by position (`{}`, `{0}`) or by keyword (`{name}`), then any
/// `[index]` and `.attribute` after, a conversion (`!r`, `!s`), and a spec that may hold fields
/// of its own (`{:>{width}}`).
fn str_format(vm: &Vm, f: &str, args: &[Obj], kwargs: &[(Rc<str>, Obj)]) -> Res<String> {
    let mut numbering = Numbering::default();
    format_fields(vm, f, args, kwargs, &mut numbering, 0)
}

/// Whether fields were numbered by `{}` or by `{0}` (the two cannot mix), and the next `{}`.
#[derive(Default)]
struct Numbering {
    auto: Option<usize>,
    manual: bool,
}

fn format_fields(
    vm: &Vm,
    f: &str,
    args: &[Obj],
    kwargs: &[(Rc<str>, Obj)],
    numbering: &mut Numbering,
    depth: usize,
) -> Res<String> {
    if depth > 1 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err(value_error("Single '}' encountered in format string")),
            '{' => {
                // The field runs to its matching `}` (a spec may hold `{...}` of its own).
                let mut field = String::new();
                let mut nest = 0;
                let mut closed = false;
                for c in chars.by_ref() {
                    match c {
                        '{' => nest += 1,
                        '}' if nest == 0 => {
                            closed = true;
                            break;
                        }
                        '}' => nest -= 1,
                        _ => {}
                    }
                    field.push(c);
                }
                if !closed {
                    return Err(value_error(if field.is_empty() {
                        "Single '{' encountered in format string"
                    } else {
                        "expected '}' before end of string"
                    }));
                }
                let (head, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conv) = head.split_once('!').unwrap_or((head, ""));
                let v = field_value(vm, name, args, kwargs, numbering)?;
                let v = match conv {
                    "" => v,
                    "r" => Obj::str(&repr(&v)),
                    "s" => Obj::str(&ops::str_of(&v)),
                    _ => return Err(value_error("Unknown conversion specifier")),
                };
                let spec = if spec.contains('{') {
                    format_fields(vm, spec, args, kwargs, numbering, depth + 1)?
                } else {
                    spec.to_string()
                };
                out.push_str(&ops::format(&v, &spec)?);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A field's value: `0`, `name` or nothing (the next by position), then `[key]` and `.attr`.
fn field_value(
    vm: &Vm,
    name: &str,
    args: &[Obj],
    kwargs: &[(Rc<str>, Obj)],
    numbering: &mut Numbering,
) -> Res {
    let end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, mut rest) = name.split_at(end);
    let mut v = if first.is_empty() || first.bytes().all(|b| b.is_ascii_digit()) {
        let i = if first.is_empty() {
            if numbering.manual {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            let i = numbering.auto.unwrap_or(0);
            numbering.auto = Some(i + 1);
            i
        } else {
            if numbering.auto.is_some() {
                return Err(value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            numbering.manual = true;
            first.parse::<usize>().unwrap_or(usize::MAX)
        };
        args.get(i).cloned().ok_or_else(|| {
            Exception::msg(
                ExcKind::IndexError,
                format!("Replacement index {i} out of range for positional args tuple"),
            )
        })?
    } else {
        match kwargs.iter().find(|(k, _)| &**k == first) {
            Some((_, v)) => v.clone(),
            None => return Err(Exception::new(ExcKind::KeyError, vec![Obj::str(first)])),
        }
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            v = vm.get_attr(&v, &Rc::from(&r[..end]))?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(close) = r.find(']') else {
                return Err(value_error("Missing ']' in format string"));
            };
            let key = &r[..close];
            let key = match key.parse::<i64>() {
                Ok(i) if key.bytes().all(|b| b.is_ascii_digit()) => Obj::Int(i),
                _ => Obj::str(key),
            };
            v = vm.subscript(&v, &key)?;
            rest = &r[close + 1..];
        } else {
            return Err(value_error(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        }
    }
    Ok(v)
}
