//! Calls: arguments bound to a function's parameters as CPython binds them, `*args` and
//! `**kwargs` spread at a call, functions made with their defaults, and CPython's message for
//! each way a call can go wrong.

use std::cell::RefCell;
use std::rc::Rc;

use super::frame::Frame;
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
        if code.star {
            let rest = args.get(n..).unwrap_or_default().to_vec();
            frame.locals[total] = Some(Obj::tuple(rest));
        }
        let mut extra = code.star_star.then(Dict::default);
        let named = &code.locals[code.posonly as usize..total];
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

/// Whether `iter(v)` would give an iterator.
pub(super) fn iterable(v: &Obj) -> bool {
    matches!(
        v,
        Obj::List(_)
            | Obj::Tuple(_)
            | Obj::Str(_)
            | Obj::Dict(_)
            | Obj::Set(_)
            | Obj::View(..)
            | Obj::Range(..)
            | Obj::Iterator(_)
    )
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
