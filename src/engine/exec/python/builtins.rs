//! Builtin functions, the methods of builtin objects, the modules `asyncio`, `time` and
//! `random`, attribute and item access, iteration, and calls.

use std::cell::RefCell;
use std::rc::Rc;

use super::aio::NativeObj;
use super::frame::Frame;
use super::methods::no_attr;
use super::numbers::{float_to_int, mod_pow, parse_int, Sum};
use super::object::{range_len, Dict, ExcKind, Exception, Iter, Obj, Type};
use super::ops::{self, as_f64, as_int, repr, str_of, type_error, value_error, Exc, Res};
use super::Vm;
use crate::engine::lang::python::suggest::{self, name_error_hint, MODULE_GLOBALS};

/// The builtin functions by name.
const BUILTINS: &[&str] = &[
    "print",
    "len",
    "range",
    "enumerate",
    "zip",
    "sum",
    "min",
    "max",
    "sorted",
    "abs",
    "round",
    "repr",
    "isinstance",
    "issubclass",
    "any",
    "all",
    "reversed",
    "map",
    "filter",
    "iter",
    "next",
    "divmod",
    "format",
    "chr",
    "ord",
    "hash",
    "id",
    "callable",
    "hex",
    "oct",
    "bin",
    "dict.fromkeys",
    "pow",
    "type",
];

pub(super) fn arg(args: &[Obj], i: usize) -> Obj {
    args.get(i).cloned().unwrap_or_default()
}

pub(super) fn kw<'a>(kwargs: &'a [(Rc<str>, Obj)], name: &str) -> Option<&'a Obj> {
    kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
}

pub(super) fn need(name: &str, args: &[Obj], lo: usize, hi: usize) -> Res<()> {
    if args.len() < lo || args.len() > hi {
        let expected = if lo == hi {
            // One argument is spelt out, as CPython's one-argument builtins say it.
            match lo {
                1 => "exactly one argument".to_string(),
                n => format!("exactly {n} arguments"),
            }
        } else if args.len() < lo {
            format!("at least {lo} argument{}", if lo == 1 { "" } else { "s" })
        } else {
            format!("at most {hi} argument{}", if hi == 1 { "" } else { "s" })
        };
        return Err(type_error(format!(
            "{name}() takes {expected} ({} given)",
            args.len()
        )));
    }
    Ok(())
}

/// A number of seconds (or a bound) given to `what`, or the `TypeError` CPython's code raises
/// where it first uses the value (a comparison, a sum, a conversion).
pub(super) fn number(x: &Obj, what: &str) -> Res<f64> {
    as_f64(x).ok_or_else(|| {
        let t = x.type_name();
        type_error(match what {
            "time.sleep" => format!("'{t}' object cannot be interpreted as an integer"),
            "timeout" | "reschedule" => {
                format!("unsupported operand type(s) for +: 'float' and '{t}'")
            }
            _ => format!("'<=' not supported between instances of '{t}' and 'int'"),
        })
    })
}

pub(super) fn int_arg(x: &Obj) -> Res<i64> {
    as_int(x).ok_or_else(|| {
        type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            x.type_name()
        ))
    })
}

impl Vm {
    pub(super) fn load_global(&self, i: u32) -> Res {
        if let Some(Some(v)) = self.globals.borrow().get(i as usize) {
            return Ok(v.clone());
        }
        let name = self
            .module
            .globals
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| Rc::from("?"));
        builtin(&name).ok_or_else(|| {
            Exception::msg(ExcKind::NameError, format!("name '{name}' is not defined"))
        })
    }

    /// A `NameError` for global `i` with the hint CPython's traceback gives under it, found
    /// among the names `f` could see: its locals, the module's globals, the builtins.
    pub(super) fn name_hint(&self, f: &Frame, i: u32, e: Exc) -> Exc {
        let Some(name) = self.module.globals.get(i as usize) else {
            return e;
        };
        let globals = self.globals.borrow();
        let locals = f
            .code
            .locals
            .iter()
            .zip(&f.locals)
            .filter(|(_, v)| v.is_some());
        let cells = f
            .code
            .cells
            .iter()
            .zip(&f.cells)
            .filter(|(_, c)| c.borrow().is_some());
        let bound = self
            .module
            .globals
            .iter()
            .zip(globals.iter())
            .filter(|(_, v)| v.is_some());
        let candidates = (locals.map(|(n, _)| &**n))
            .chain(cells.map(|(n, _)| &**n))
            .chain(MODULE_GLOBALS.iter().copied())
            .chain(bound.map(|(n, _)| &**n))
            .chain(suggest::BUILTINS.iter().copied());
        let hint = name_error_hint(name, candidates);
        if !hint.is_empty() {
            *e.hint.borrow_mut() = Some(Rc::from(hint));
        }
        e
    }

    pub(super) fn store_global(&self, i: u32, v: Obj) {
        if let Some(slot) = self.globals.borrow_mut().get_mut(i as usize) {
            *slot = Some(v);
        }
    }

    /// `del name` of a global: it has no value after, or had none (a `NameError`).
    pub(super) fn delete_global(&self, i: u32) -> Res<()> {
        if let Some(slot @ Some(_)) = self.globals.borrow_mut().get_mut(i as usize) {
            *slot = None;
            return Ok(());
        }
        let name = self.module.globals.get(i as usize).map_or("?", |n| &**n);
        Err(Exception::msg(
            ExcKind::NameError,
            format!("name '{name}' is not defined"),
        ))
    }

    pub(super) fn import(&self, name: &str) -> Res {
        match name {
            "asyncio" | "time" | "random" => Ok(Obj::Module(match name {
                "asyncio" => "asyncio",
                "time" => "time",
                _ => "random",
            })),
            _ => Err(Exception::msg(
                ExcKind::NotImplementedError,
                format!("Interleave runs only the modules asyncio, time and random, not '{name}'"),
            )),
        }
    }

    /// Calls anything but a Python function (builtins, methods, types).
    pub(super) fn call(&self, func: &Obj, args: Vec<Obj>, kwargs: Vec<(Rc<str>, Obj)>) -> Res {
        match func {
            Obj::Function(_) => self.call_sync(func, args),
            Obj::Builtin(name) => self.call_builtin(name, args, kwargs),
            Obj::Method(m) => match (&m.0, args.split_first()) {
                // A class's method (`str.lower`): its first argument is the object.
                (Obj::Type(t), Some((this, rest))) if this.type_name() == t.name() => {
                    self.call_method(this, &m.1, rest, &kwargs)
                }
                (Obj::Type(t), Some((this, _))) => Err(type_error(format!(
                    "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                    m.1,
                    t.name(),
                    this.type_name()
                ))),
                (Obj::Type(t), None) => Err(type_error(format!(
                    "unbound method {}.{}() needs an argument",
                    t.name(),
                    m.1
                ))),
                _ => self.call_method(&m.0, &m.1, &args, &kwargs),
            },
            Obj::Type(t) => self.construct(*t, args, kwargs),
            other => Err(type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    pub(super) fn construct(&self, t: Type, args: Vec<Obj>, kwargs: Vec<(Rc<str>, Obj)>) -> Res {
        let a = arg(&args, 0);
        Ok(match t {
            Type::Exc(k @ (ExcKind::ExceptionGroup | ExcKind::BaseExceptionGroup)) => {
                Obj::Exception(self.exception_group(k, args)?)
            }
            Type::Exc(k) => Obj::Exception(Exception::new(k, args)),
            Type::Int => match (&a, args.len()) {
                (_, 0) => Obj::Int(0),
                (Obj::Str(s), _) => {
                    let base = match args.get(1) {
                        Some(b) => int_arg(b)?,
                        None => 10,
                    };
                    if base != 0 && !(2..=36).contains(&base) {
                        return Err(value_error("int() base must be >= 2 and <= 36, or 0"));
                    }
                    match parse_int(s, base as u32) {
                        Some(Some(i)) => Obj::Int(i),
                        Some(None) => return Err(ops::overflow()),
                        None => {
                            return Err(value_error(format!(
                                "invalid literal for int() with base {base}: {}",
                                repr(&a)
                            )))
                        }
                    }
                }
                (Obj::Float(f), _) => Obj::Int(float_to_int(f.trunc())?),
                (Obj::Int(_) | Obj::Bool(_), _) => Obj::Int(as_int(&a).unwrap_or(0)),
                _ => {
                    return Err(type_error(format!(
                        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                        a.type_name()
                    )))
                }
            },
            Type::Float => match &a {
                _ if args.is_empty() => Obj::Float(0.0),
                Obj::Str(s) => {
                    let t = s.trim().to_lowercase();
                    let v = match t.as_str() {
                        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
                        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                        "nan" => Some(f64::NAN),
                        // Single underscores may stand between digits (`1_000.5`).
                        _ if t.contains('_') => {
                            let b = t.as_bytes();
                            let between = b.iter().enumerate().all(|(i, &c)| {
                                c != b'_'
                                    || (i > 0
                                        && b[i - 1].is_ascii_digit()
                                        && b.get(i + 1).is_some_and(u8::is_ascii_digit))
                            });
                            between.then(|| t.replace('_', "").parse::<f64>().ok()).flatten()
                        }
                        _ => t.parse::<f64>().ok(),
                    };
                    match v {
                        Some(v) => Obj::Float(v),
                        None => {
                            return Err(value_error(format!(
                                "could not convert string to float: {}",
                                repr(&a)
                            )))
                        }
                    }
                }
                other => Obj::Float(as_f64(other).ok_or_else(|| {
                    type_error(format!(
                        "float() argument must be a string or a real number, not '{}'",
                        other.type_name()
                    ))
                })?),
            },
            Type::Str => {
                if args.is_empty() {
                    Obj::str("")
                } else {
                    Obj::str(&str_of(&a))
                }
            }
            Type::Bool => Obj::Bool(a.truthy()),
            Type::List => Obj::list(if args.is_empty() { Vec::new() } else { self.items(&a)? }),
            Type::Tuple => Obj::tuple(if args.is_empty() { Vec::new() } else { self.items(&a)? }),
            // From a set, a copy of its table, as CPython's `set_merge` makes one.
            Type::Set if matches!(a, Obj::Set(_)) => match &a {
                Obj::Set(s) => Obj::Set(Rc::new(RefCell::new(s.borrow().copied_set()))),
                _ => Obj::None,
            },
            Type::Set => {
                let items = if args.is_empty() { Vec::new() } else { self.items(&a)? };
                self.set_checked(items)?
            }
            Type::Dict => {
                let mut d = Dict::default();
                if !args.is_empty() {
                    match &a {
                        Obj::Dict(src) => {
                            for (k, v) in src.borrow().iter() {
                                if let Some(key) = k.key() {
                                    d.insert(key, k.clone(), v.clone());
                                }
                            }
                        }
                        other => {
                            for pair in self.items(other)? {
                                let kv = self.items(&pair)?;
                                if kv.len() != 2 {
                                    return Err(value_error(format!(
                                        "dictionary update sequence element has length {}; 2 is required",
                                        kv.len()
                                    )));
                                }
                                let key = kv[0].key().ok_or_else(|| ops::unhashable(&kv[0]))?;
                                d.insert(key, kv[0].clone(), kv[1].clone());
                            }
                        }
                    }
                }
                for (k, v) in kwargs {
                    d.insert(super::object::Key::Str(k.clone()), Obj::Str(k), v);
                }
                Obj::Dict(Rc::new(RefCell::new(d)))
            }
            Type::Object => return Err(type_error("object() is not supported in Interleave")),
            // `NoneType()` is None; no other of these classes makes instances.
            Type::Other("NoneType") => Obj::None,
            Type::Other(name) => return Err(type_error(format!("cannot create '{name}' instances"))),
        })
    }

    pub(super) fn set_checked(&self, items: Vec<Obj>) -> Res {
        let mut d = Dict::default();
        for i in items {
            let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
            d.insert(k, i, Obj::None);
        }
        Ok(Obj::Set(Rc::new(RefCell::new(d))))
    }

    pub(super) fn call_builtin(
        &self,
        name: &str,
        args: Vec<Obj>,
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res {
        if let Some(rest) = name.strip_prefix("asyncio.") {
            return self.call_asyncio(rest, args, kwargs);
        }
        if let Some(rest) = name.strip_prefix("time.") {
            let now = self.loop_time();
            return match rest {
                "sleep" => {
                    need("time.sleep", &args, 1, 1)?;
                    let secs = number(&arg(&args, 0), "time.sleep")?;
                    if secs < 0.0 {
                        return Err(value_error("sleep length must be non-negative"));
                    }
                    self.block(secs);
                    Ok(Obj::None)
                }
                "time" => Ok(Obj::Float(1_700_000_000.0 + now)),
                "perf_counter" | "monotonic" => Ok(Obj::Float(now)),
                _ => Err(no_attr(&Obj::Module("time"), &Rc::from(rest))),
            };
        }
        if let Some(rest) = name.strip_prefix("random.") {
            return self.call_random(rest, args, kwargs);
        }
        let a0 = arg(&args, 0);
        match name {
            "print" => {
                super::calls::only_keywords("print", &kwargs, &["sep", "end", "file", "flush"])?;
                let text_of = |name: &str, default: &str| match kw(&kwargs, name) {
                    Some(Obj::None) | None => Ok(default.to_string()),
                    Some(Obj::Str(s)) => Ok(s.to_string()),
                    Some(other) => Err(type_error(format!(
                        "{name} must be None or a string, not {}",
                        other.type_name()
                    ))),
                };
                let sep = text_of("sep", " ")?;
                let end = text_of("end", "\n")?;
                let text: Vec<String> = args.iter().map(str_of).collect();
                let mut line = text.join(&sep);
                line.push_str(&end);
                self.emit_output(line);
                Ok(Obj::None)
            }
            "len" => {
                if !kwargs.is_empty() {
                    return Err(type_error("len() takes no keyword arguments"));
                }
                need("len", &args, 1, 1)?;
                Ok(Obj::Int(match &a0 {
                    Obj::Str(s) => s.chars().count() as i64,
                    Obj::List(l) => l.borrow().len() as i64,
                    Obj::Tuple(t) => t.len() as i64,
                    Obj::Dict(d) | Obj::Set(d) | Obj::View(_, d) => d.borrow().len() as i64,
                    Obj::Range(a, b, s) => range_len(*a, *b, *s),
                    Obj::Native(n) => match &**n {
                        NativeObj::Queue(q) => q.borrow().items.len() as i64,
                        _ => {
                            return Err(type_error(format!(
                                "object of type '{}' has no len()",
                                a0.type_name()
                            )))
                        }
                    },
                    other => {
                        return Err(type_error(format!(
                            "object of type '{}' has no len()",
                            other.type_name()
                        )))
                    }
                }))
            }
            "range" => {
                if args.is_empty() || args.len() > 3 {
                    let (bound, n) = if args.is_empty() {
                        ("least", 1)
                    } else {
                        ("most", 3)
                    };
                    return Err(type_error(format!(
                        "range expected at {bound} {n} argument{}, got {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    )));
                }
                let v: Vec<i64> = args.iter().map(int_arg).collect::<Res<_>>()?;
                let (a, b, s) = match v.len() {
                    1 => (0, v[0], 1),
                    2 => (v[0], v[1], 1),
                    _ => (v[0], v[1], v[2]),
                };
                if s == 0 {
                    return Err(value_error("range() arg 3 must not be zero"));
                }
                Ok(Obj::Range(a, b, s))
            }
            "enumerate" => {
                let start = match kw(&kwargs, "start")
                    .cloned()
                    .or_else(|| args.get(1).cloned())
                {
                    Some(s) => int_arg(&s)?,
                    None => 0,
                };
                Ok(lazy(Iter::Enumerate(self.iter(&a0)?, start)))
            }
            "zip" => {
                let its = args
                    .iter()
                    .map(|a| self.iter(a))
                    .collect::<Res<Rc<[Obj]>>>()?;
                let strict = kw(&kwargs, "strict").is_some_and(Obj::truthy);
                Ok(lazy(Iter::Zip(its, strict)))
            }
            "reversed" => {
                let mut items = self.items(&a0)?;
                items.reverse();
                self.iter(&Obj::list(items))
            }
            "iter" => self.iter(&a0),
            "next" => match self.next(&a0)? {
                Some(v) => Ok(v),
                None => match args.get(1) {
                    Some(d) => Ok(d.clone()),
                    None => Err(Exception::new(ExcKind::StopIteration, vec![])),
                },
            },
            "map" => {
                if args.len() < 2 {
                    return Err(type_error("map() must have at least two arguments."));
                }
                let its = args[1..]
                    .iter()
                    .map(|a| self.iter(a))
                    .collect::<Res<Rc<[Obj]>>>()?;
                Ok(lazy(Iter::Map(a0, its)))
            }
            "filter" => Ok(lazy(Iter::Filter(a0, self.iter(&arg(&args, 1))?))),
            "sum" => {
                let start = kw(&kwargs, "start")
                    .cloned()
                    .or_else(|| args.get(1).cloned())
                    .unwrap_or(Obj::Int(0));
                if let Obj::Str(_) = start {
                    return Err(type_error(
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                // CPython's three loops: ints while they last; floats with Neumaier's
                // compensated sum (so `sum([0.1] * 10)` is 1.0); anything else by `+`.
                let mut total = Sum::of(start);
                self.for_each(&a0, |x| {
                    total = std::mem::replace(&mut total, Sum::Int(0)).add(x)?;
                    Ok(true)
                })?;
                Ok(total.value())
            }
            "min" | "max" => {
                if args.is_empty() {
                    return Err(type_error(format!(
                        "{name} expected at least 1 argument, got 0"
                    )));
                }
                let key = kw(&kwargs, "key")
                    .cloned()
                    .filter(|k| !matches!(k, Obj::None));
                let (op, wanted) = if name == "min" {
                    ("<", std::cmp::Ordering::Less)
                } else {
                    (">", std::cmp::Ordering::Greater)
                };
                // Each item's key is found as the item is read, as CPython's loop does.
                let mut best: Option<(Obj, Obj)> = None;
                let mut consider = |x: Obj| -> Res<bool> {
                    let k = match &key {
                        Some(f) => self.call_sync(f, vec![x.clone()])?,
                        None => x.clone(),
                    };
                    let better = match &best {
                        None => true,
                        Some((_, best_key)) => ops::order(&k, best_key, op)? == wanted,
                    };
                    if better {
                        best = Some((x, k));
                    }
                    Ok(true)
                };
                if args.len() == 1 {
                    self.for_each(&a0, &mut consider)?;
                } else {
                    for x in args.iter().cloned() {
                        consider(x)?;
                    }
                }
                match best {
                    Some((x, _)) => Ok(x),
                    None => match kw(&kwargs, "default") {
                        Some(d) => Ok(d.clone()),
                        None => Err(value_error(format!("{name}() iterable argument is empty"))),
                    },
                }
            }
            "sorted" => {
                if args.len() != 1 {
                    return Err(type_error(format!(
                        "sorted expected 1 argument, got {}",
                        args.len()
                    )));
                }
                let items = self.items(&a0)?;
                let list = Obj::list(items);
                self.call_method(&list, "sort", &[], &kwargs)?;
                Ok(list)
            }
            "abs" => match a0 {
                Obj::Int(i) => Ok(Obj::Int(
                    i.checked_abs().ok_or_else(|| value_error("overflow"))?,
                )),
                Obj::Bool(b) => Ok(Obj::Int(b as i64)),
                Obj::Float(f) => Ok(Obj::Float(f.abs())),
                other => Err(type_error(format!(
                    "bad operand type for abs(): '{}'",
                    other.type_name()
                ))),
            },
            "round" => {
                let nd = args
                    .get(1)
                    .cloned()
                    .or_else(|| kw(&kwargs, "ndigits").cloned());
                match (&a0, nd) {
                    (Obj::Int(_) | Obj::Bool(_), None | Some(Obj::None)) => {
                        Ok(Obj::Int(as_int(&a0).unwrap_or(0)))
                    }
                    (Obj::Float(f), None | Some(Obj::None)) => {
                        Ok(Obj::Int(float_to_int(f.round_ties_even())?))
                    }
                    (Obj::Float(f), Some(n)) => {
                        let n = int_arg(&n)?;
                        if !(0..=15).contains(&n) {
                            let p = 10f64.powi(n as i32);
                            return Ok(Obj::Float((f * p).round_ties_even() / p));
                        }
                        let s = format!("{:.*}", n as usize, f);
                        Ok(Obj::Float(s.parse().unwrap_or(*f)))
                    }
                    (Obj::Int(i), Some(n)) => {
                        let n = int_arg(&n)?;
                        if n >= 0 {
                            return Ok(Obj::Int(*i));
                        }
                        let p = 10i64.checked_pow((-n) as u32).unwrap_or(i64::MAX);
                        let q = (*i as f64 / p as f64).round_ties_even() as i64;
                        Ok(Obj::Int(q.saturating_mul(p)))
                    }
                    (other, _) => Err(type_error(format!(
                        "type {} doesn't define __round__ method",
                        other.type_name()
                    ))),
                }
            }
            "repr" => Ok(Obj::str(&repr(&a0))),
            "type" => Ok(Obj::Type(match &a0 {
                Obj::Int(_) => Type::Int,
                Obj::Float(_) => Type::Float,
                Obj::Str(_) => Type::Str,
                Obj::Bool(_) => Type::Bool,
                Obj::List(_) => Type::List,
                Obj::Tuple(_) => Type::Tuple,
                Obj::Dict(_) => Type::Dict,
                Obj::Set(_) => Type::Set,
                Obj::Exception(e) => Type::Exc(e.kind),
                other => Type::Other(other.type_name()),
            })),
            "format" => Ok(Obj::str(&ops::format(
                &a0,
                &args.get(1).map(str_of).unwrap_or_default(),
            )?)),
            "isinstance" | "issubclass" => {
                let kinds = match arg(&args, 1) {
                    Obj::Tuple(t) => t.to_vec(),
                    other => vec![other],
                };
                let sub = match (name, &a0) {
                    ("issubclass", Obj::Type(s)) => Some(*s),
                    ("issubclass", _) => {
                        return Err(type_error("issubclass() arg 1 must be a class"))
                    }
                    _ => None,
                };
                let mut hit = false;
                for k in kinds {
                    let Obj::Type(t) = k else {
                        return Err(type_error(if sub.is_some() {
                            "issubclass() arg 2 must be a class, a tuple of classes, or a union"
                        } else {
                            "isinstance() arg 2 must be a type, a tuple of types, or a union"
                        }));
                    };
                    if let Some(s) = sub {
                        hit |= match (t, s) {
                            (Type::Object, _) | (Type::Int, Type::Bool) => true,
                            (Type::Exc(k), Type::Exc(s)) => s.is_a(k),
                            (t, s) => t == s,
                        };
                        continue;
                    }
                    hit |= match (t, &a0) {
                        (Type::Int, Obj::Int(_) | Obj::Bool(_)) => true,
                        (Type::Float, Obj::Float(_)) => true,
                        (Type::Str, Obj::Str(_)) => true,
                        (Type::Bool, Obj::Bool(_)) => true,
                        (Type::List, Obj::List(_)) => true,
                        (Type::Tuple, Obj::Tuple(_)) => true,
                        (Type::Dict, Obj::Dict(_)) => true,
                        (Type::Set, Obj::Set(_)) => true,
                        (Type::Object, _) => true,
                        (Type::Exc(k), Obj::Exception(e)) => e.kind.is_a(k),
                        (Type::Other(name), x) => x.type_name() == name,
                        _ => false,
                    };
                }
                Ok(Obj::Bool(hit))
            }
            "any" | "all" => {
                // Each stops at the first item that settles it, as CPython's does.
                let settles = name == "any";
                let mut seen = false;
                self.for_each(&a0, |x| {
                    seen = x.truthy() == settles;
                    Ok(!seen)
                })?;
                Ok(Obj::Bool(seen == settles))
            }
            "divmod" => {
                let q = ops::binary(
                    crate::engine::lang::python::code::BinOp::FloorDiv,
                    &a0,
                    &arg(&args, 1),
                )?;
                let r = ops::binary(
                    crate::engine::lang::python::code::BinOp::Mod,
                    &a0,
                    &arg(&args, 1),
                )?;
                Ok(Obj::tuple(vec![q, r]))
            }
            "pow" => match args.get(2) {
                None | Some(Obj::None) => ops::binary(
                    crate::engine::lang::python::code::BinOp::Pow,
                    &a0,
                    &arg(&args, 1),
                ),
                Some(m) => match (as_int(&a0), as_int(&arg(&args, 1)), as_int(m)) {
                    (Some(b), Some(e), Some(m)) => mod_pow(b, e, m).map(Obj::Int),
                    _ => Err(type_error(
                        "pow() 3rd argument not allowed unless all arguments are integers",
                    )),
                },
            },
            "chr" => match u32::try_from(int_arg(&a0)?).ok().and_then(char::from_u32) {
                Some(c) => Ok(Obj::str(c.encode_utf8(&mut [0; 4]))),
                None => Err(value_error("chr() arg not in range(0x110000)")),
            },
            "ord" => match &a0 {
                Obj::Str(s) if s.chars().count() == 1 => {
                    Ok(Obj::Int(s.chars().next().map(|c| c as i64).unwrap_or(0)))
                }
                Obj::Str(s) => Err(type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.chars().count()
                ))),
                other => Err(type_error(format!(
                    "ord() expected string of length 1, but {} found",
                    other.type_name()
                ))),
            },
            "hex" | "oct" | "bin" => {
                let i = int_arg(&a0)?;
                let spec = match name {
                    "hex" => "#x",
                    "oct" => "#o",
                    _ => "#b",
                };
                Ok(Obj::str(&ops::format(&Obj::Int(i), spec)?))
            }
            "dict.fromkeys" => {
                let value = args.get(1).cloned().unwrap_or_default();
                let d = Obj::Dict(Rc::new(RefCell::new(Dict::default())));
                for k in self.items(&a0)? {
                    self.store_subscript(&d, k, value.clone())?;
                }
                Ok(d)
            }
            "callable" => Ok(Obj::Bool(matches!(
                a0,
                Obj::Function(_) | Obj::Builtin(_) | Obj::Method(_) | Obj::Type(_)
            ))),
            "hash" | "id" => Err(Exception::msg(
                ExcKind::NotImplementedError,
                format!(
                    "{name}() differs from run to run in CPython; Interleave does not offer it"
                ),
            )),
            _ => Err(Exception::msg(
                ExcKind::NameError,
                format!("name '{name}' is not defined"),
            )),
        }
    }

    /// Output of one `print` call: one line of the console, without its final newline; one
    /// without a newline at its end (`end=""`) leaves the line open for the next.
    pub(super) fn emit_output(&self, mut text: String) {
        let open = !text.ends_with('\n');
        if !open {
            text.pop();
        }
        self.print(text, open);
    }
}

/// A builtin by name: functions, types and exception classes.
fn builtin(name: &str) -> Option<Obj> {
    // The program runs as the main module: `if __name__ == "__main__":` holds.
    if name == "__name__" {
        return Some(Obj::str("__main__"));
    }
    if let Some(b) = BUILTINS.iter().find(|b| **b == name) {
        return Some(Obj::Builtin(b));
    }
    Some(Obj::Type(match name {
        "int" => Type::Int,
        "float" => Type::Float,
        "str" => Type::Str,
        "bool" => Type::Bool,
        "list" => Type::List,
        "tuple" => Type::Tuple,
        "dict" => Type::Dict,
        "set" => Type::Set,
        "object" => Type::Object,
        // Old names of OSError, still CPython's builtins.
        "IOError" | "EnvironmentError" => Type::Exc(ExcKind::OSError),
        _ => {
            let k = ExcKind::ALL.iter().find(|k| {
                k.name() == name
                    && !matches!(
                        k,
                        ExcKind::CancelledError
                            | ExcKind::InvalidStateError
                            | ExcKind::QueueEmpty
                            | ExcKind::QueueFull
                    )
            })?;
            Type::Exc(*k)
        }
    }))
}

/// An iterator that makes its items as they are asked for.
fn lazy(it: Iter) -> Obj {
    Obj::Iterator(Rc::new(RefCell::new(it)))
}
