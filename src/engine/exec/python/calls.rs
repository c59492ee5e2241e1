//! Calls: arguments bound to a function's parameters as CPython binds them, `*args` and
//! `**kwargs` spread at a call, functions made with their defaults, and CPython's message for
//! each way a call can go wrong.

use std::cell::RefCell;
use std::rc::Rc;

use super::frame::Frame;
use super::iteration::iterable;
use super::object::{Dict, Function, Key, Obj};
use super::ops::{self, type_error, Res};
use super::Vm;
use crate::engine::lang::python::code::Code;

impl Vm {
    /// A frame for calling `fun` with these arguments, bound as CPython binds them (its
    /// `initialize_locals`): keywords first, then the count of positional ones, then the
    /// defaults, with CPython's messages for each way a call can fail.
    pub(super) fn bind(
        &self,
        fun: &Function,
        args: &[Obj],
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res<Box<Frame>> {
        let code = &fun.code;
        let n = code.params as usize;
        let total = n + code.kwonly as usize;
        // Messages name the function as CPython does, by its qualified name.
        let name = &code.qualname;
        let mut frame = self.new_frame(code, &fun.closure);
        for (local, a) in frame.locals.iter_mut().zip(args.iter().take(n)) {
            *local = Some(a.clone());
        }
        if frame.locals.len() < total + usize::from(code.star) + usize::from(code.star_star) {
            // The compiler gives every parameter a local; never met, but no panic if not.
            return Err(ops::type_error(format!(
                "{name}() has parameters without places"
            )));
        }
        if code.star {
            let rest = args.get(n..).unwrap_or_default().to_vec();
            frame.locals[total] = Some(Obj::tuple(rest));
        }
        let mut extra = code.star_star.then(Dict::default);
        let named = code
            .locals
            .get(code.posonly as usize..total)
            .unwrap_or_default();
        for (k, v) in &kwargs {
            if let Some(i) = named.iter().position(|p| p == k) {
                let slot = &mut frame.locals[code.posonly as usize + i];
                if slot.is_some() {
                    return Err(type_error(format!(
                        "{name}() got multiple values for argument '{k}'"
                    )));
                }
                *slot = Some(v.clone());
                continue;
            }
            let Some(extra) = extra.as_mut() else {
                let posonly = &code.locals[..code.posonly as usize];
                let passed: Vec<&str> = kwargs
                    .iter()
                    .filter(|(k, _)| posonly.contains(k))
                    .map(|(k, _)| &**k)
                    .collect();
                if !passed.is_empty() {
                    return Err(type_error(format!(
                        "{name}() got some positional-only arguments passed as keyword \
                         arguments: '{}'",
                        passed.join(", ")
                    )));
                }
                return Err(type_error(format!(
                    "{name}() got an unexpected keyword argument '{k}'"
                )));
            };
            extra.insert(Key::Str(k.clone()), Obj::Str(k.clone()), v.clone());
        }
        if let Some(extra) = extra {
            frame.locals[total + usize::from(code.star)] =
                Some(Obj::Dict(Rc::new(RefCell::new(extra))));
        }
        if args.len() > n && !code.star {
            return Err(too_many_positional(fun, args.len(), &frame.locals));
        }
        let first_default = n - fun.defaults.len();
        let missing = names_missing(&frame.locals[..first_default], &code.locals);
        if !missing.is_empty() {
            return Err(missing_arguments(name, "positional", &missing));
        }
        for (local, d) in frame.locals[first_default..n].iter_mut().zip(&fun.defaults) {
            if local.is_none() {
                *local = Some(d.clone());
            }
        }
        for (local, d) in frame.locals[n..total].iter_mut().zip(&fun.kw_defaults) {
            if local.is_none() {
                local.clone_from(d);
            }
        }
        let missing = names_missing(&frame.locals[n..total], &code.locals[n..]);
        if !missing.is_empty() {
            return Err(missing_arguments(name, "keyword-only", &missing));
        }
        for &(cell, param) in &code.cell_params {
            if let Some(c) = frame.cells.get(cell as usize) {
                *c.borrow_mut() = frame.locals[param as usize].clone();
            }
        }
        Ok(frame)
    }

    /// `CallExtend`: a call's `*iterable` added to the list of its arguments.
    pub(super) fn call_extend(&self, f: &mut Frame) -> Res<()> {
        let v = Self::pop(f);
        if !iterable(&v) {
            let func = f.stack.get(f.stack.len().saturating_sub(2)).cloned();
            return Err(type_error(format!(
                "{} argument after * must be an iterable, not {}",
                function_str(&func.unwrap_or_default()),
                v.type_name()
            )));
        }
        let items = self.items(&v)?;
        if let Some(Obj::List(l)) = f.stack.last() {
            l.borrow_mut().extend(items);
        }
        Ok(())
    }

    /// `DictMerge`: a call's `**mapping` (or a keyword after one) merged into its keywords.
    pub(super) fn dict_merge(&self, f: &mut Frame) -> Res<()> {
        let v = Self::pop(f);
        let func = f.stack.get(f.stack.len().saturating_sub(3)).cloned();
        let func = &func.unwrap_or_default();
        let Obj::Dict(src) = &v else {
            return Err(type_error(format!(
                "{} argument after ** must be a mapping, not {}",
                function_str(func),
                v.type_name()
            )));
        };
        let pairs: Vec<(Obj, Obj)> = src.borrow().iter().cloned().collect();
        if let Some(Obj::Dict(d)) = f.stack.last() {
            let mut d = d.borrow_mut();
            for (k, v) in pairs {
                let Obj::Str(name) = &k else {
                    return Err(type_error("keywords must be strings"));
                };
                let key = Key::Str(name.clone());
                if d.get(&key).is_some() {
                    return Err(type_error(format!(
                        "{} got multiple values for keyword argument '{name}'",
                        function_str(func)
                    )));
                }
                d.insert(key, k, v);
            }
        }
        Ok(())
    }
}

/// The names (quoted) of the parameters among `locals` that are still unbound.
fn names_missing(locals: &[Option<Obj>], names: &[Rc<str>]) -> Vec<String> {
    locals
        .iter()
        .zip(names)
        .filter(|(l, _)| l.is_none())
        .map(|(_, n)| format!("'{n}'"))
        .collect()
}

/// CPython's `TypeError` for required parameters of one kind left unbound.
fn missing_arguments(name: &str, kind: &str, missing: &[String]) -> ops::Exc {
    let list = match missing {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    };
    type_error(format!(
        "{name}() missing {} required {kind} argument{}: {list}",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" }
    ))
}

/// CPython's `TypeError` for more positional arguments than a function takes.
fn too_many_positional(fun: &Function, given: usize, locals: &[Option<Obj>]) -> ops::Exc {
    let code = &fun.code;
    let n = code.params as usize;
    let kwonly_given = locals[n..n + code.kwonly as usize]
        .iter()
        .filter(|l| l.is_some())
        .count();
    let (takes, plural) = if fun.defaults.is_empty() {
        (n.to_string(), n != 1)
    } else {
        (format!("from {} to {n}", n - fun.defaults.len()), true)
    };
    let kwonly = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given == 1 { "" } else { "s" },
            if kwonly_given == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    type_error(format!(
        "{}() takes {takes} positional argument{} but {given}{kwonly} {} given",
        code.qualname,
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 {
            "was"
        } else {
            "were"
        }
    ))
}

/// The function of code `c`, its defaults (positional ones, then keyword-only ones) the top
/// `ndefaults` of the frame's stack, its closure the frame's cells it names.
pub(super) fn make_function(f: &mut Frame, c: &Rc<Code>, ndefaults: usize) -> Obj {
    let mut defaults = f.stack.split_off(f.stack.len().saturating_sub(ndefaults));
    let kw_given = c.kw_defaulted.iter().filter(|d| **d).count();
    let mut kw_values = defaults
        .split_off(defaults.len().saturating_sub(kw_given))
        .into_iter();
    let kw_defaults = c
        .kw_defaulted
        .iter()
        .map(|&d| if d { kw_values.next() } else { None })
        .collect();
    let closure = c
        .free_from
        .iter()
        .map(|&i| {
            f.cells
                .get(i as usize)
                .cloned()
                .unwrap_or_else(|| Rc::new(RefCell::new(None)))
        })
        .collect();
    Obj::Function(Rc::new(Function {
        code: c.clone(),
        defaults,
        kw_defaults,
        closure,
    }))
}

/// A callable as CPython's `_PyObject_FunctionStr` names it in a call's errors: its module
/// and qualified name (`__main__.main.<locals>.f()`), a builtin's name alone (`print()`).
fn function_str(func: &Obj) -> String {
    match func {
        Obj::Function(fun) => format!("__main__.{}()", fun.code.qualname),
        Obj::Builtin(name) => match name.strip_prefix("asyncio.") {
            Some(
                f @ ("gather" | "sleep" | "wait" | "wait_for" | "shield" | "as_completed"
                | "create_task" | "ensure_future"),
            ) => format!("asyncio.tasks.{f}()"),
            Some("run") => "asyncio.runners.run()".into(),
            _ => format!("{name}()"),
        },
        other => ops::str_of(other),
    }
}

/// How one of asyncio's functions (or a method of its objects) takes its arguments, so that a
/// call that does not fit fails with CPython's message, as the Python function would.
struct Signature {
    /// The name the messages give (`sleep`, `Queue.__init__`, `Event.set`).
    name: &'static str,
    /// Positional-or-keyword parameters.
    params: &'static [&'static str],
    /// How many of those have no default.
    required: usize,
    /// `*args` after them.
    star: bool,
    /// Keyword-only parameters.
    kwonly: &'static [&'static str],
    /// A method's: `self` counts in the messages' numbers.
    method: bool,
}

const fn sig(name: &'static str, params: &'static [&'static str], required: usize) -> Signature {
    Signature {
        name,
        params,
        required,
        star: false,
        kwonly: &[],
        method: false,
    }
}

const fn method(name: &'static str, params: &'static [&'static str], required: usize) -> Signature {
    Signature {
        method: true,
        ..sig(name, params, required)
    }
}

/// asyncio's functions and classes, by the name a program calls them with.
const ASYNCIO: &[(&str, Signature)] = &[
    ("sleep", sig("sleep", &["delay", "result"], 1)),
    (
        "gather",
        Signature {
            star: true,
            kwonly: &["return_exceptions"],
            ..sig("gather", &[], 0)
        },
    ),
    (
        "create_task",
        Signature {
            kwonly: &["name", "context"],
            ..sig("create_task", &["coro"], 1)
        },
    ),
    (
        "ensure_future",
        Signature {
            kwonly: &["loop"],
            ..sig("ensure_future", &["coro_or_future"], 1)
        },
    ),
    ("wait_for", sig("wait_for", &["fut", "timeout"], 2)),
    (
        "wait",
        Signature {
            kwonly: &["timeout", "return_when"],
            ..sig("wait", &["fs"], 1)
        },
    ),
    (
        "as_completed",
        Signature {
            kwonly: &["timeout"],
            ..sig("as_completed", &["fs"], 1)
        },
    ),
    ("shield", sig("shield", &["arg"], 1)),
    ("timeout", sig("timeout", &["delay"], 1)),
    (
        "run",
        Signature {
            kwonly: &["debug", "loop_factory"],
            ..sig("run", &["main"], 1)
        },
    ),
    ("Queue", method("Queue.__init__", &["maxsize"], 0)),
    ("Event", method("Event.__init__", &[], 0)),
    ("Lock", method("Lock.__init__", &[], 0)),
    ("TaskGroup", method("TaskGroup.__init__", &[], 0)),
    ("Semaphore", method("Semaphore.__init__", &["value"], 0)),
    (
        "BoundedSemaphore",
        method("BoundedSemaphore.__init__", &["value"], 0),
    ),
];

/// The methods of asyncio's objects, by their type's name and the method's.
const METHODS: &[(&str, &str, Signature)] = &[
    ("Event", "set", method("Event.set", &[], 0)),
    ("Event", "clear", method("Event.clear", &[], 0)),
    ("Event", "is_set", method("Event.is_set", &[], 0)),
    ("Event", "wait", method("Event.wait", &[], 0)),
    ("Lock", "acquire", method("Lock.acquire", &[], 0)),
    ("Lock", "release", method("Lock.release", &[], 0)),
    ("Lock", "locked", method("Lock.locked", &[], 0)),
    ("Semaphore", "acquire", method("Semaphore.acquire", &[], 0)),
    ("Semaphore", "release", method("Semaphore.release", &[], 0)),
    ("Semaphore", "locked", method("Semaphore.locked", &[], 0)),
    (
        "BoundedSemaphore",
        "acquire",
        method("Semaphore.acquire", &[], 0),
    ),
    (
        "BoundedSemaphore",
        "release",
        method("BoundedSemaphore.release", &[], 0),
    ),
    (
        "BoundedSemaphore",
        "locked",
        method("Semaphore.locked", &[], 0),
    ),
    ("Queue", "put", method("Queue.put", &["item"], 1)),
    ("Queue", "get", method("Queue.get", &[], 0)),
    (
        "Queue",
        "put_nowait",
        method("Queue.put_nowait", &["item"], 1),
    ),
    ("Queue", "get_nowait", method("Queue.get_nowait", &[], 0)),
    ("Queue", "task_done", method("Queue.task_done", &[], 0)),
    ("Queue", "join", method("Queue.join", &[], 0)),
    ("Queue", "qsize", method("Queue.qsize", &[], 0)),
    ("Queue", "empty", method("Queue.empty", &[], 0)),
    ("Queue", "full", method("Queue.full", &[], 0)),
    (
        "TaskGroup",
        "create_task",
        Signature {
            kwonly: &["name", "context"],
            ..method("TaskGroup.create_task", &["coro"], 1)
        },
    ),
    (
        "_UnixSelectorEventLoop",
        "time",
        method("BaseEventLoop.time", &[], 0),
    ),
    (
        "_UnixSelectorEventLoop",
        "create_future",
        method("BaseEventLoop.create_future", &[], 0),
    ),
    (
        "_UnixSelectorEventLoop",
        "create_task",
        Signature {
            kwonly: &["name", "context"],
            ..method("BaseEventLoop.create_task", &["coro"], 1)
        },
    ),
];

/// Checks a call of `asyncio.name` against its signature.
pub(super) fn check_asyncio_call(name: &str, args: &[Obj], kwargs: &[(Rc<str>, Obj)]) -> Res<()> {
    match ASYNCIO.iter().find(|(n, _)| *n == name) {
        Some((_, s)) => check(s, args.len(), kwargs),
        None => Ok(()),
    }
}

/// Checks a call of a method of one of asyncio's objects against its signature.
pub(super) fn check_method_call(
    type_name: &str,
    name: &str,
    args: &[Obj],
    kwargs: &[(Rc<str>, Obj)],
) -> Res<()> {
    match METHODS
        .iter()
        .find(|(t, n, _)| *t == type_name && *n == name)
    {
        Some((_, _, s)) => check(s, args.len(), kwargs),
        None => Ok(()),
    }
}

/// A call of `s` with `given` positional arguments and these keywords, as CPython binds a
/// Python function's.
fn check(s: &Signature, given: usize, kwargs: &[(Rc<str>, Obj)]) -> Res<()> {
    let name = s.name;
    for (k, _) in kwargs {
        match s.params.iter().position(|p| **p == **k) {
            Some(i) if i < given => {
                return Err(type_error(format!(
                    "{name}() got multiple values for argument '{k}'"
                )))
            }
            Some(_) => {}
            None if s.kwonly.contains(&&**k) => {}
            None => {
                return Err(type_error(format!(
                    "{name}() got an unexpected keyword argument '{k}'"
                )))
            }
        }
    }
    let me = usize::from(s.method);
    let n = s.params.len();
    if given > n && !s.star {
        let takes = if s.required == n {
            format!(
                "{} positional argument{}",
                n + me,
                if n + me == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "from {} to {} positional arguments",
                s.required + me,
                n + me
            )
        };
        let given = given + me;
        return Err(type_error(format!(
            "{name}() takes {takes} but {given} {} given",
            if given == 1 { "was" } else { "were" }
        )));
    }
    let missing: Vec<String> = s.params[given.min(s.required)..s.required]
        .iter()
        .filter(|p| !kwargs.iter().any(|(k, _)| **k == ***p))
        .map(|p| format!("'{p}'"))
        .collect();
    if !missing.is_empty() {
        return Err(missing_arguments(name, "positional", &missing));
    }
    Ok(())
}

/// A builtin of CPython's C code that takes only these keywords: another is refused in its
/// words (`'sepp' is an invalid keyword argument for print()`).
pub(super) fn only_keywords(name: &str, kwargs: &[(Rc<str>, Obj)], allowed: &[&str]) -> Res<()> {
    match kwargs.iter().find(|(k, _)| !allowed.contains(&&**k)) {
        Some((k, _)) => Err(type_error(format!(
            "'{k}' is an invalid keyword argument for {name}()"
        ))),
        None => Ok(()),
    }
}
