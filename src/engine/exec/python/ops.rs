//! What Python's operators and conversions do to objects: `str`, `repr`, arithmetic,
//! comparison, and the format-spec mini-language of f-strings, `format` and `%`.

use std::rc::Rc;

use crate::engine::lang::python::code::{BinOp, CmpOp};
use crate::engine::lang::value::{python_float, quote};

use super::object::{range_len, ExcKind, Exception, Obj};

/// An exception in flight.
pub type Exc = Rc<Exception>;
/// What a Python operation gives.
pub type Res<T = Obj> = Result<T, Exc>;

/// A `TypeError` with a message.
pub fn type_error(m: impl Into<String>) -> Exc {
    Exception::msg(ExcKind::TypeError, m)
}

/// A `ValueError` with a message.
pub fn value_error(m: impl Into<String>) -> Exc {
    Exception::msg(ExcKind::ValueError, m)
}

pub(super) fn overflow() -> Exc {
    Exception::msg(
        ExcKind::OverflowError,
        "integer too large: Interleave's ints hold 64 bits",
    )
}

/// `str(x)`.
pub fn str_of(x: &Obj) -> String {
    match x {
        Obj::Str(s) => String::from(&**s),
        Obj::Exception(e) => exception_str(e),
        _ => repr(x),
    }
}

/// What `str()` of an exception says.
pub fn exception_str(e: &Exception) -> String {
    if e.kind == ExcKind::KeyError && e.args.len() == 1 {
        return repr(&e.args[0]);
    }
    if matches!(
        e.kind,
        ExcKind::ExceptionGroup | ExcKind::BaseExceptionGroup
    ) {
        let n = e.group.len();
        let msg = e.args.first().map(str_of).unwrap_or_default();
        return format!("{msg} ({n} sub-exception{})", if n == 1 { "" } else { "s" });
    }
    // `OSError(errno, strerror[, filename[, winerror[, filename2]]])` reads as CPython's.
    if let (true, 2..=5, Some(errno)) =
        (e.kind.is_a(ExcKind::OSError), e.args.len(), e.args.first())
    {
        let strerror = str_of(&e.args[1]);
        return match (e.args.get(2), e.args.get(4)) {
            (Some(f), Some(f2)) => format!(
                "[Errno {}] {strerror}: {} -> {}",
                str_of(errno),
                repr(f),
                repr(f2)
            ),
            (Some(f), None) => format!("[Errno {}] {strerror}: {}", str_of(errno), repr(f)),
            _ => format!("[Errno {}] {strerror}", str_of(errno)),
        };
    }
    match e.args.len() {
        0 => String::new(),
        1 => str_of(&e.args[0]),
        _ => repr(&Obj::tuple(e.args.clone())),
    }
}

/// The last line of a traceback: `ValueError: bad input`.
pub fn exception_line(e: &Exception) -> String {
    let text = exception_str(e);
    if text.is_empty() {
        e.kind.qualified()
    } else {
        format!("{}: {text}", e.kind.qualified())
    }
}

/// A traceback as CPython prints it (innermost call last).
pub fn traceback(e: &Exception) -> String {
    let mut out = String::from("Traceback (most recent call last):\n");
    for (name, line) in e.traceback.borrow().iter().rev() {
        out.push_str(&format!("  File \"<program>\", line {line}, in {name}\n"));
    }
    out.push_str(&exception_line(e));
    out.push_str(e.hint.borrow().as_deref().unwrap_or(""));
    out
}

/// `repr(x)`.
pub fn repr(x: &Obj) -> String {
    let mut out = String::new();
    repr_into(&mut out, x, 0);
    out
}

fn repr_into(out: &mut String, x: &Obj, depth: usize) {
    if depth > 100 {
        out.push_str("...");
        return;
    }
    match x {
        Obj::None => out.push_str("None"),
        Obj::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Obj::Int(i) => out.push_str(&i.to_string()),
        Obj::Float(f) => out.push_str(&python_float(*f)),
        Obj::Str(s) => out.push_str(&quote(s)),
        Obj::List(l) => {
            out.push('[');
            for (i, v) in l.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(out, v, depth + 1);
            }
            out.push(']');
        }
        Obj::Tuple(t) => {
            out.push('(');
            for (i, v) in t.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(out, v, depth + 1);
            }
            if t.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Obj::Dict(d) => {
            out.push('{');
            for (i, (k, v)) in d.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(out, k, depth + 1);
                out.push_str(": ");
                repr_into(out, v, depth + 1);
            }
            out.push('}');
        }
        Obj::View(v, d) => {
            out.push_str(v.type_name());
            out.push('(');
            repr_into(out, &Obj::list(v.items(&d.borrow())), depth + 1);
            out.push(')');
        }
        Obj::Set(d) => {
            let d = d.borrow();
            if d.is_empty() {
                out.push_str("set()");
                return;
            }
            out.push('{');
            for (i, k) in d.set_order().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(out, k, depth + 1);
            }
            out.push('}');
        }
        Obj::Range(a, b, s) => {
            if *s == 1 {
                out.push_str(&format!("range({a}, {b})"));
            } else {
                out.push_str(&format!("range({a}, {b}, {s})"));
            }
        }
        Obj::Slice(s) => {
            out.push_str(&format!(
                "slice({}, {}, {})",
                repr(&s[0]),
                repr(&s[1]),
                repr(&s[2])
            ));
        }
        Obj::Function(f) => out.push_str(&format!("<function {}>", f.code.qualname)),
        Obj::Builtin(name) => {
            let short = name.rsplit('.').next().unwrap_or(name);
            out.push_str(&format!("<built-in function {short}>"));
        }
        Obj::Method(m) => match &m.0 {
            Obj::Type(t) => out.push_str(&format!("<method '{}' of '{}' objects>", m.1, t.name())),
            this => out.push_str(&format!(
                "<built-in method {} of {} object>",
                m.1,
                this.type_name()
            )),
        },
        Obj::Type(t) => out.push_str(&format!("<class '{}'>", t.qualified())),
        Obj::Exception(e) => {
            out.push_str(e.kind.name());
            out.push('(');
            for (i, a) in e.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_into(out, a, depth + 1);
            }
            out.push(')');
        }
        Obj::Coroutine(c) => out.push_str(&format!("<coroutine object {}>", c.name)),
        Obj::Future(f) => out.push_str(&f.describe()),
        Obj::Iterator(it) => {
            let name = it.try_borrow().map_or("generator", |it| it.type_name());
            out.push_str(&format!("<{name} object>"))
        }
        Obj::Module(m) => out.push_str(&format!("<module '{m}'>")),
        Obj::Native(n) => out.push_str(&format!("<asyncio.{} object>", n.type_name())),
        Obj::Ellipsis => out.push_str("Ellipsis"),
    }
}

/// A number as a float, if it is one.
pub fn as_f64(x: &Obj) -> Option<f64> {
    match x {
        Obj::Int(i) => Some(*i as f64),
        Obj::Bool(b) => Some(*b as i64 as f64),
        Obj::Float(f) => Some(*f),
        _ => None,
    }
}

/// An int (or bool) as an i64.
pub fn as_int(x: &Obj) -> Option<i64> {
    match x {
        Obj::Int(i) => Some(*i),
        Obj::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn floor_div(a: i64, b: i64) -> Res<i64> {
    if b == 0 {
        return Err(Exception::msg(
            ExcKind::ZeroDivisionError,
            "integer division or modulo by zero",
        ));
    }
    let q = a.checked_div(b).ok_or_else(overflow)?;
    Ok(if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    })
}

fn py_mod(a: i64, b: i64) -> Res<i64> {
    if b == 0 {
        return Err(Exception::msg(
            ExcKind::ZeroDivisionError,
            "integer modulo by zero",
        ));
    }
    let r = a.checked_rem(b).ok_or_else(overflow)?;
    Ok(if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    })
}

/// `x // y` and `x % y` of floats, as CPython's `_float_div_mod` computes them: the remainder
/// takes the divisor's sign (a zero one too), the quotient is snapped to the nearest whole
/// number and keeps the true quotient's sign when it is zero.
fn float_div_mod(x: f64, y: f64) -> (f64, f64) {
    let mut rem = x % y;
    let mut div = (x - rem) / y;
    if rem != 0.0 {
        if (y < 0.0) != (rem < 0.0) {
            rem += y;
            div -= 1.0;
        }
    } else {
        rem = 0.0f64.copysign(y);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(x / y)
    };
    (floor, rem)
}

fn unsupported(op: BinOp, a: &Obj, b: &Obj) -> Exc {
    type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op.symbol(),
        a.type_name(),
        b.type_name()
    ))
}

/// Items of a sequence repeated `n` times.
fn repeat(items: &[Obj], n: i64) -> Res<Vec<Obj>> {
    let n = n.max(0) as usize;
    let total = items.len().saturating_mul(n);
    if total > super::MAX_ITEMS {
        return Err(Exception::new(ExcKind::MemoryError, vec![]));
    }
    if let [one] = items {
        // `[x] * n`, the common case: one clone loop, not n calls.
        return Ok(vec![one.clone(); n]);
    }
    let mut out = Vec::with_capacity(total);
    for _ in 0..n {
        out.extend_from_slice(items);
    }
    Ok(out)
}

/// `a op b`.
pub fn binary(op: BinOp, a: &Obj, b: &Obj) -> Res {
    use BinOp::*;
    // `&`, `|` and `^` of two bools are a bool.
    if let (Obj::Bool(x), Obj::Bool(y), And | Or | Xor) = (a, b, op) {
        return Ok(Obj::Bool(match op {
            And => x & y,
            Or => x | y,
            _ => x ^ y,
        }));
    }
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        return Ok(Obj::Int(match op {
            Add => x.checked_add(y).ok_or_else(overflow)?,
            Sub => x.checked_sub(y).ok_or_else(overflow)?,
            Mul => x.checked_mul(y).ok_or_else(overflow)?,
            Div => {
                if y == 0 {
                    return Err(Exception::msg(
                        ExcKind::ZeroDivisionError,
                        "division by zero",
                    ));
                }
                return Ok(Obj::Float(x as f64 / y as f64));
            }
            FloorDiv => floor_div(x, y)?,
            Mod => py_mod(x, y)?,
            Pow => {
                if y < 0 {
                    if x == 0 {
                        return Err(Exception::msg(
                            ExcKind::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    return Ok(Obj::Float((x as f64).powf(y as f64)));
                }
                let e = u32::try_from(y).map_err(|_| overflow())?;
                x.checked_pow(e).ok_or_else(overflow)?
            }
            And => x & y,
            Or => x | y,
            Xor => x ^ y,
            Shl => {
                if y < 0 {
                    return Err(value_error("negative shift count"));
                }
                if y >= 64 || (x << y) >> y != x {
                    if x == 0 {
                        0
                    } else {
                        return Err(overflow());
                    }
                } else {
                    x << y
                }
            }
            Shr => {
                if y < 0 {
                    return Err(value_error("negative shift count"));
                }
                x >> y.min(63)
            }
        }));
    }
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        return Ok(Obj::Float(match op {
            Add => x + y,
            Sub => x - y,
            Mul => x * y,
            Div => {
                if y == 0.0 {
                    return Err(Exception::msg(
                        ExcKind::ZeroDivisionError,
                        "float division by zero",
                    ));
                }
                x / y
            }
            FloorDiv | Mod if y == 0.0 => {
                return Err(Exception::msg(
                    ExcKind::ZeroDivisionError,
                    if op == FloorDiv {
                        "float floor division by zero"
                    } else {
                        "float modulo"
                    },
                ))
            }
            FloorDiv => float_div_mod(x, y).0,
            Mod => float_div_mod(x, y).1,
            Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(Exception::msg(
                        ExcKind::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                x.powf(y)
            }
            _ => return Err(unsupported(op, a, b)),
        }));
    }
    match (op, a, b) {
        (Add, Obj::Str(x), Obj::Str(y)) => {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Obj::Str(Rc::from(s)))
        }
        (Mul, Obj::Str(s), n) | (Mul, n, Obj::Str(s)) if as_int(n).is_some() => {
            let n = as_int(n).unwrap_or(0).max(0) as usize;
            if s.len().saturating_mul(n) > super::MAX_ITEMS {
                return Err(Exception::new(ExcKind::MemoryError, vec![]));
            }
            Ok(Obj::Str(Rc::from(s.repeat(n))))
        }
        (Add, Obj::List(x), Obj::List(y)) => {
            let mut v = x.borrow().clone();
            v.extend(y.borrow().iter().cloned());
            Ok(Obj::list(v))
        }
        (Add, Obj::Tuple(x), Obj::Tuple(y)) => {
            let mut v = x.to_vec();
            v.extend(y.iter().cloned());
            Ok(Obj::tuple(v))
        }
        (Mul, Obj::List(l), n) | (Mul, n, Obj::List(l)) if as_int(n).is_some() => {
            let items = l.borrow().clone();
            Ok(Obj::list(repeat(&items, as_int(n).unwrap_or(0))?))
        }
        (Mul, Obj::Tuple(t), n) | (Mul, n, Obj::Tuple(t)) if as_int(n).is_some() => {
            Ok(Obj::tuple(repeat(t, as_int(n).unwrap_or(0))?))
        }
        (Mod, Obj::Str(f), args) => Ok(Obj::str(&super::format::percent_format(f, args)?)),
        (Or | And | Sub | Xor, Obj::Set(x), Obj::Set(y)) => {
            let out = super::object::Dict::set_binary(op, &x.borrow(), &y.borrow());
            Ok(Obj::Set(Rc::new(std::cell::RefCell::new(out))))
        }
        (Or, Obj::Dict(x), Obj::Dict(y)) => {
            let mut out = super::object::Dict::default();
            for (k, v) in x.borrow().iter().chain(y.borrow().iter()) {
                if let Some(key) = k.key() {
                    out.insert(key, k.clone(), v.clone());
                }
            }
            Ok(Obj::Dict(Rc::new(std::cell::RefCell::new(out))))
        }
        _ => {
            let sequence = |x: &Obj| matches!(x, Obj::Str(_) | Obj::List(_) | Obj::Tuple(_));
            // A sequence times anything but an int, on either side.
            if op == Mul && (sequence(a) || sequence(b)) {
                let other = if sequence(a) { b } else { a };
                if as_int(other).is_none() {
                    return Err(type_error(format!(
                        "can't multiply sequence by non-int of type '{}'",
                        other.type_name()
                    )));
                }
            }
            if op == Add && sequence(a) {
                let t = a.type_name();
                return Err(type_error(format!(
                    "can only concatenate {t} (not \"{}\") to {t}",
                    b.type_name()
                )));
            }
            Err(unsupported(op, a, b))
        }
    }
}

thread_local! {
    /// How deep comparisons of containers in containers are, and whether one went too deep.
    static DEPTH: std::cell::Cell<(u32, bool)> = const { std::cell::Cell::new((0, false)) };
}

/// Comparisons nest this deep at most (deeper, CPython's `RecursionError`).
const MAX_DEPTH: u32 = 400;

/// One level deeper into a comparison, for as long as it lives; `None` past [`MAX_DEPTH`].
struct Deeper;

impl Deeper {
    fn enter() -> Option<Deeper> {
        DEPTH.with(|d| {
            let (n, over) = d.get();
            if n >= MAX_DEPTH {
                d.set((n, true));
                None
            } else {
                d.set((n + 1, over));
                Some(Deeper)
            }
        })
    }
}

impl Drop for Deeper {
    fn drop(&mut self) {
        DEPTH.with(|d| {
            let (n, over) = d.get();
            d.set((n.saturating_sub(1), over));
        });
    }
}

/// True (once) if a comparison since the last call went too deep: the caller raises
/// `RecursionError`.
pub fn too_deep() -> bool {
    DEPTH.with(|d| {
        let (n, over) = d.get();
        d.set((n, false));
        over
    })
}

/// `a == b`.
pub fn equal(a: &Obj, b: &Obj) -> bool {
    let nested = matches!(a, Obj::List(_) | Obj::Tuple(_) | Obj::Dict(_) | Obj::Set(_));
    let _level = if nested {
        match Deeper::enter() {
            Some(level) => Some(level),
            None => return false,
        }
    } else {
        None
    };
    match (a, b) {
        (Obj::Str(x), Obj::Str(y)) => x == y,
        (Obj::None, Obj::None) => true,
        (Obj::List(x), Obj::List(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.borrow(), y.borrow());
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
            }
        }
        (Obj::Tuple(x), Obj::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        (Obj::Dict(x), Obj::Dict(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.borrow(), y.borrow());
                x.len() == y.len()
                    && x.iter().all(|(k, v)| {
                        k.key()
                            .and_then(|key| y.get(&key).map(|w| equal(v, w)))
                            .unwrap_or(false)
                    })
            }
        }
        (Obj::Set(x), Obj::Set(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, _)| k.key().is_some_and(|key| y.get(&key).is_some()))
        }
        (Obj::Range(a1, b1, s1), Obj::Range(a2, b2, s2)) => (a1, b1, s1) == (a2, b2, s2),
        (Obj::Type(x), Obj::Type(y)) => x == y,
        (Obj::Builtin(x), Obj::Builtin(y)) => x == y,
        (Obj::Module(x), Obj::Module(y)) => x == y,
        (Obj::Ellipsis, Obj::Ellipsis) => true,
        _ => {
            if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
                return x == y;
            }
            if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
                return x == y;
            }
            match (a.identity(), b.identity()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            }
        }
    }
}

/// `a is b`.
pub fn same(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::None, Obj::None) | (Obj::Ellipsis, Obj::Ellipsis) => true,
        (Obj::Bool(x), Obj::Bool(y)) => x == y,
        (Obj::Int(x), Obj::Int(y)) => x == y && (-5..=256).contains(x),
        (Obj::Str(x), Obj::Str(y)) => Rc::ptr_eq(x, y) || (x == y && x.len() <= 1),
        (Obj::Type(x), Obj::Type(y)) => x == y,
        (Obj::Builtin(x), Obj::Builtin(y)) => x == y,
        (Obj::Module(x), Obj::Module(y)) => x == y,
        _ => match (a.identity(), b.identity()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// Orders two objects for `<`: `Less`, `Equal`, `Greater`, or a `TypeError`.
pub fn order(a: &Obj, b: &Obj, op: &str) -> Res<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        return Ok(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (a, b) {
        (Obj::Str(x), Obj::Str(y)) => Ok(x.cmp(y)),
        (Obj::List(x), Obj::List(y)) => {
            let (x, y) = (x.borrow().clone(), y.borrow().clone());
            seq_order(&x, &y, op)
        }
        (Obj::Tuple(x), Obj::Tuple(y)) => seq_order(x, y, op),
        _ => Err(type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
    }
}

fn seq_order(x: &[Obj], y: &[Obj], op: &str) -> Res<std::cmp::Ordering> {
    let Some(_level) = Deeper::enter() else {
        return Ok(std::cmp::Ordering::Equal);
    };
    for (p, q) in x.iter().zip(y.iter()) {
        if !equal(p, q) {
            return order(p, q, op);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

/// `a op b` for the comparisons that need no iteration (`in` is the interpreter's).
pub fn compare(op: CmpOp, a: &Obj, b: &Obj) -> Res<bool> {
    use std::cmp::Ordering::*;
    // Sets order by inclusion: `a <= b` is "a is a subset of b".
    if let (Obj::Set(x), Obj::Set(y), CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge) = (a, b, op) {
        let (x, y) = (x.borrow(), y.borrow());
        let (small, large) = if matches!(op, CmpOp::Lt | CmpOp::Le) {
            (&x, &y)
        } else {
            (&y, &x)
        };
        let within = small
            .iter()
            .all(|(k, _)| k.key().is_some_and(|k| large.get(&k).is_some()));
        let strict = matches!(op, CmpOp::Lt | CmpOp::Gt);
        return Ok(within && (!strict || small.len() < large.len()));
    }
    Ok(match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => !equal(a, b),
        CmpOp::Is => same(a, b),
        CmpOp::IsNot => !same(a, b),
        CmpOp::Lt => order(a, b, "<")? == Less && !nan(a, b),
        CmpOp::Le => matches!(order(a, b, "<=")?, Less | Equal) && !nan(a, b),
        CmpOp::Gt => order(a, b, ">")? == Greater && !nan(a, b),
        CmpOp::Ge => matches!(order(a, b, ">=")?, Greater | Equal) && !nan(a, b),
        CmpOp::In | CmpOp::NotIn => {
            let found = contains(b, a)?;
            if op == CmpOp::In {
                found
            } else {
                !found
            }
        }
    })
}

fn nan(a: &Obj, b: &Obj) -> bool {
    matches!(a, Obj::Float(f) if f.is_nan()) || matches!(b, Obj::Float(f) if f.is_nan())
}

/// `item in container`.
pub fn contains(container: &Obj, item: &Obj) -> Res<bool> {
    Ok(match container {
        Obj::Str(s) => match item {
            Obj::Str(x) => s.contains(&**x),
            other => {
                return Err(type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    other.type_name()
                )))
            }
        },
        Obj::List(l) => l.borrow().iter().any(|x| equal(x, item)),
        Obj::Tuple(t) => t.iter().any(|x| equal(x, item)),
        Obj::Dict(d) | Obj::Set(d) => {
            let key = item.key().ok_or_else(|| unhashable(item))?;
            d.borrow().get(&key).is_some()
        }
        Obj::Range(a, b, s) => match as_int(item).or(match item {
            // A whole float is in a range as its int is (`2.0 in range(3)`).
            Obj::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(*f as i64),
            _ => None,
        }) {
            Some(i) => {
                let within = if *s > 0 {
                    i >= *a && i < *b
                } else {
                    i <= *a && i > *b
                };
                within && (i - a) % s == 0
            }
            None => false,
        },
        other => {
            return Err(type_error(format!(
                "argument of type '{}' is not iterable",
                other.type_name()
            )))
        }
    })
}

/// The `TypeError` for a dict key or set item that cannot be hashed.
pub fn unhashable(x: &Obj) -> Exc {
    type_error(format!("unhashable type: '{}'", x.type_name()))
}

/// How many items a range has, as Python's `len` sees it.
pub fn len_of_range(a: i64, b: i64, s: i64) -> i64 {
    range_len(a, b, s)
}

pub use super::format::format;

/// `s |= t`, `s &= t`, `s -= t`, `s ^= t` of two sets: `s` itself changed, as CPython changes
/// it (a merge, the intersection's table taken over, members discarded, members toggled);
/// any other operator makes a new value.
pub fn set_in_place(
    op: BinOp,
    s: &Rc<std::cell::RefCell<super::object::Dict>>,
    a: &Obj,
    b: &Obj,
) -> Res {
    let Obj::Set(o) = b else {
        return binary(op, a, b);
    };
    if Rc::ptr_eq(s, o) {
        if matches!(op, BinOp::Sub | BinOp::Xor) {
            s.borrow_mut().clear();
        }
        return Ok(a.clone());
    }
    match op {
        BinOp::Or => s.borrow_mut().merge_set(&o.borrow()),
        BinOp::And => {
            if let Obj::Set(r) = binary(op, a, b)? {
                let taken = std::mem::take(&mut *r.borrow_mut());
                *s.borrow_mut() = taken;
            }
        }
        BinOp::Sub | BinOp::Xor => {
            let other = o.borrow().set_order();
            let mut s = s.borrow_mut();
            for k in other {
                if let Some(key) = k.key() {
                    if s.remove(&key).is_none() && op == BinOp::Xor {
                        s.add_now(key, k);
                    }
                }
            }
        }
        _ => return binary(op, a, b),
    }
    Ok(a.clone())
}
