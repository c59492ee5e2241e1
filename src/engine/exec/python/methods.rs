//! The methods of builtin objects: str, list, dict, set, tuple, futures and tasks, and
//! asyncio's objects.

use std::rc::Rc;

use super::aio::{self, Callback, FutureObj, NativeCoro, NativeKind, NativeObj};
use super::object::{Dict, ExcKind, Exception, Obj, Type, View};
use super::ops::{self, repr, str_of, value_error, Exc, Res};
use super::Vm;
use crate::engine::lang::python::code::CmpOp;

/// The builtin functions by name.
use super::builtins::{arg, int_arg, kw, need, number};

impl Vm {
    pub(super) fn call_method(
        &self,
        obj: &Obj,
        name: &str,
        args: &[Obj],
        kwargs: &[(Rc<str>, Obj)],
    ) -> Res {
        let a0 = arg(args, 0);
        match obj {
            Obj::Str(s) => super::strings::str_method(self, s, name, args, kwargs),
            Obj::List(l) => match name {
                "append" => {
                    need("list.append", args, 1, 1)?;
                    let mut l = l.borrow_mut();
                    if l.len() >= super::MAX_ITEMS {
                        return Err(Exception::new(ExcKind::MemoryError, vec![]));
                    }
                    l.push(a0);
                    Ok(Obj::None)
                }
                "extend" => {
                    let items = self.items(&a0)?;
                    l.borrow_mut().extend(items);
                    Ok(Obj::None)
                }
                "insert" => {
                    let mut l = l.borrow_mut();
                    let n = l.len() as i64;
                    let i = int_arg(&a0)?;
                    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
                    l.insert(i, arg(args, 1));
                    Ok(Obj::None)
                }
                "pop" => {
                    let mut l = l.borrow_mut();
                    if l.is_empty() {
                        return Err(Exception::msg(ExcKind::IndexError, "pop from empty list"));
                    }
                    let i = match args.first() {
                        Some(x) => self.index_of(l.len(), x, "pop")?,
                        None => l.len() - 1,
                    };
                    Ok(l.remove(i))
                }
                "remove" => {
                    let mut l = l.borrow_mut();
                    match l.iter().position(|x| ops::equal(x, &a0)) {
                        Some(i) => {
                            l.remove(i);
                            Ok(Obj::None)
                        }
                        None => Err(value_error("list.remove(x): x not in list")),
                    }
                }
                "index" => {
                    let l = l.borrow();
                    let n = l.len() as i64;
                    let bound = |i: usize, dflt: i64| -> Res<usize> {
                        let v = args.get(i).map(int_arg).transpose()?.unwrap_or(dflt);
                        Ok((if v < 0 { (v + n).max(0) } else { v.min(n) }) as usize)
                    };
                    let (lo, hi) = (bound(1, 0)?, bound(2, n)?);
                    l.get(lo..hi.max(lo))
                        .unwrap_or_default()
                        .iter()
                        .position(|x| ops::equal(x, &a0))
                        .map(|i| Obj::Int((lo + i) as i64))
                        .ok_or_else(|| value_error(format!("{} is not in list", repr(&a0))))
                }
                "count" => Ok(Obj::Int(
                    l.borrow().iter().filter(|x| ops::equal(x, &a0)).count() as i64,
                )),
                "reverse" => {
                    l.borrow_mut().reverse();
                    Ok(Obj::None)
                }
                "copy" => Ok(Obj::list(l.borrow().clone())),
                "clear" => {
                    l.borrow_mut().clear();
                    Ok(Obj::None)
                }
                "sort" => {
                    if !args.is_empty() {
                        return Err(ops::type_error("sort() takes no positional arguments"));
                    }
                    super::calls::only_keywords("sort", kwargs, &["key", "reverse"])?;
                    let key = kw(kwargs, "key")
                        .cloned()
                        .filter(|k| !matches!(k, Obj::None));
                    let reverse = kw(kwargs, "reverse").is_some_and(Obj::truthy);
                    let items = std::mem::take(&mut *l.borrow_mut());
                    let keys: Vec<Obj> = match &key {
                        Some(k) => items
                            .iter()
                            .map(|x| self.call_sync(k, vec![x.clone()]))
                            .collect::<Res<_>>()?,
                        None => items.clone(),
                    };
                    let mut idx: Vec<usize> = (0..items.len()).collect();
                    let mut error: Option<Exc> = None;
                    idx.sort_by(|&a, &b| {
                        let (x, y) = if reverse {
                            (&keys[b], &keys[a])
                        } else {
                            (&keys[a], &keys[b])
                        };
                        match ops::order(x, y, "<") {
                            Ok(o) => o,
                            Err(e) => {
                                error.get_or_insert(e);
                                std::cmp::Ordering::Equal
                            }
                        }
                    });
                    if reverse {
                        // A stable sort in reverse keeps equal items in their order.
                    }
                    *l.borrow_mut() = idx.into_iter().map(|i| items[i].clone()).collect();
                    match error {
                        Some(e) => Err(e),
                        None => Ok(Obj::None),
                    }
                }
                _ => Err(no_attr(obj, name)),
            },
            Obj::Tuple(t) => match name {
                "index" => t
                    .iter()
                    .position(|x| ops::equal(x, &a0))
                    .map(|i| Obj::Int(i as i64))
                    .ok_or_else(|| value_error("tuple.index(x): x not in tuple")),
                _ => Ok(Obj::Int(
                    t.iter().filter(|x| ops::equal(x, &a0)).count() as i64
                )),
            },
            Obj::Dict(d) => {
                let key = || a0.key().ok_or_else(|| ops::unhashable(&a0));
                match name {
                    "get" => Ok(d
                        .borrow()
                        .get(&key()?)
                        .cloned()
                        .unwrap_or_else(|| arg(args, 1))),
                    "keys" => Ok(Obj::View(View::Keys, d.clone())),
                    "values" => Ok(Obj::View(View::Values, d.clone())),
                    "items" => Ok(Obj::View(View::Items, d.clone())),
                    "pop" => {
                        let k = key()?;
                        let removed = d.borrow_mut().remove(&k);
                        match removed {
                            Some((_, v)) => Ok(v),
                            None => match args.get(1) {
                                Some(def) => Ok(def.clone()),
                                None => Err(Exception::new(ExcKind::KeyError, vec![a0])),
                            },
                        }
                    }
                    "popitem" => d
                        .borrow_mut()
                        .pop_last()
                        .map(|(k, v)| Obj::tuple(vec![k, v]))
                        .ok_or_else(|| {
                            Exception::msg(ExcKind::KeyError, "popitem(): dictionary is empty")
                        }),
                    "setdefault" => {
                        let k = key()?;
                        let existing = d.borrow().get(&k).cloned();
                        match existing {
                            Some(v) => Ok(v),
                            None => {
                                let v = arg(args, 1);
                                d.borrow_mut().insert(k, a0, v.clone());
                                Ok(v)
                            }
                        }
                    }
                    "update" => {
                        let other = self.construct(Type::Dict, args.to_vec(), kwargs.to_vec())?;
                        if let Obj::Dict(o) = other {
                            let pairs: Vec<(Obj, Obj)> = o.borrow().iter().cloned().collect();
                            let mut d = d.borrow_mut();
                            for (k, v) in pairs {
                                if let Some(key) = k.key() {
                                    d.insert(key, k, v);
                                }
                            }
                        }
                        Ok(Obj::None)
                    }
                    "copy" => self.construct(Type::Dict, vec![obj.clone()], Vec::new()),
                    "clear" => {
                        d.borrow_mut().clear();
                        Ok(Obj::None)
                    }
                    _ => Err(no_attr(obj, name)),
                }
            }
            Obj::Set(s) => match name {
                "add" => {
                    let k = a0.key().ok_or_else(|| ops::unhashable(&a0))?;
                    s.borrow_mut().insert(k, a0, Obj::None);
                    Ok(Obj::None)
                }
                "discard" | "remove" => {
                    let k = a0.key().ok_or_else(|| ops::unhashable(&a0))?;
                    let gone = s.borrow_mut().remove(&k);
                    if gone.is_none() && name == "remove" {
                        return Err(Exception::new(ExcKind::KeyError, vec![a0]));
                    }
                    Ok(Obj::None)
                }
                "pop" => s
                    .borrow_mut()
                    .pop_member()
                    .ok_or_else(|| Exception::msg(ExcKind::KeyError, "pop from an empty set")),
                "clear" => {
                    s.borrow_mut().clear();
                    Ok(Obj::None)
                }
                "copy" => Ok(Obj::Set(Rc::new(std::cell::RefCell::new(
                    s.borrow().copied_set(),
                )))),
                "union" | "intersection" | "difference" | "symmetric_difference" => {
                    use crate::engine::lang::python::code::BinOp;
                    let op = match name {
                        "union" => BinOp::Or,
                        "intersection" => BinOp::And,
                        "difference" => BinOp::Sub,
                        _ => BinOp::Xor,
                    };
                    // Each argument in turn (`a.union(b, c)`); none gives a copy. A set is
                    // taken as the operator takes it; another iterable item by item, as
                    // CPython's methods take one.
                    let mut out = ops::binary(BinOp::Or, obj, &Obj::Set(Default::default()))?;
                    for other in args {
                        if let Obj::Set(_) = other {
                            out = ops::binary(op, &out, other)?;
                            continue;
                        }
                        let items = self.items(other)?;
                        let Obj::Set(current) = &out else {
                            continue;
                        };
                        let mut next = Dict::default();
                        match op {
                            // `out` is this call's own copy: changed in place.
                            BinOp::Or | BinOp::Sub => {
                                let mut current = current.borrow_mut();
                                for i in items {
                                    let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                                    if op == BinOp::Or {
                                        current.insert(k, i, Obj::None);
                                    } else {
                                        current.remove(&k);
                                    }
                                }
                                continue;
                            }
                            BinOp::And => {
                                let current = current.borrow();
                                for i in items {
                                    let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                                    if current.get(&k).is_some() {
                                        next.insert(k, i, Obj::None);
                                    }
                                }
                            }
                            _ => {
                                for i in items {
                                    let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                                    next.insert(k, i, Obj::None);
                                }
                                for i in current.borrow().set_order() {
                                    if let Some(k) = i.key() {
                                        if next.remove(&k).is_none() {
                                            next.add_now(k, i);
                                        }
                                    }
                                }
                            }
                        }
                        out = Obj::Set(Rc::new(std::cell::RefCell::new(next)));
                    }
                    Ok(out)
                }
                "issubset" | "issuperset" | "isdisjoint" => {
                    let other = self.construct(Type::Set, vec![a0], Vec::new())?;
                    Ok(Obj::Bool(match name {
                        "issubset" => ops::compare(CmpOp::Le, obj, &other)?,
                        "issuperset" => ops::compare(CmpOp::Ge, obj, &other)?,
                        _ => !ops::binary(
                            crate::engine::lang::python::code::BinOp::And,
                            obj,
                            &other,
                        )?
                        .truthy(),
                    }))
                }
                "update" => {
                    for other in args {
                        if let Obj::Set(_) = other {
                            ops::set_in_place(
                                crate::engine::lang::python::code::BinOp::Or,
                                s,
                                obj,
                                other,
                            )?;
                            continue;
                        }
                        for i in self.items(other)? {
                            let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                            s.borrow_mut().insert(k, i, Obj::None);
                        }
                    }
                    Ok(Obj::None)
                }
                // The operators' in-place forms, each argument made a set first.
                "difference_update" | "intersection_update" | "symmetric_difference_update" => {
                    use crate::engine::lang::python::code::BinOp;
                    let op = match name {
                        "difference_update" => BinOp::Sub,
                        "intersection_update" => BinOp::And,
                        _ => BinOp::Xor,
                    };
                    for other in args {
                        let other = match other {
                            Obj::Set(_) => other.clone(),
                            _ => self.construct(Type::Set, vec![other.clone()], Vec::new())?,
                        };
                        ops::set_in_place(op, s, obj, &other)?;
                    }
                    Ok(Obj::None)
                }
                _ => Err(no_attr(obj, name)),
            },
            Obj::Int(i) => Ok(Obj::Int(64 - i.unsigned_abs().leading_zeros() as i64)),
            Obj::Bool(b) => Ok(Obj::Int(*b as i64)),
            Obj::Float(f) => Ok(Obj::Bool(f.fract() == 0.0)),
            Obj::Future(f) => self.future_method(f, name, args.to_vec(), kwargs),
            Obj::Native(n) => self.native_method(n, name, args.to_vec(), kwargs.to_vec()),
            _ => Err(no_attr(obj, name)),
        }
    }

    pub(super) fn future_method(
        &self,
        f: &Rc<FutureObj>,
        name: &str,
        args: Vec<Obj>,
        kwargs: &[(Rc<str>, Obj)],
    ) -> Res {
        match name {
            "done" => Ok(Obj::Bool(f.is_done())),
            "cancelled" => Ok(Obj::Bool(f.is_cancelled())),
            "result" => {
                if !f.is_done() {
                    return Err(Exception::msg(
                        ExcKind::InvalidStateError,
                        "Result is not set.",
                    ));
                }
                f.outcome()
            }
            "exception" => {
                if !f.is_done() {
                    return Err(Exception::msg(
                        ExcKind::InvalidStateError,
                        "Exception is not set.",
                    ));
                }
                if f.is_cancelled() {
                    return Err(f.cancelled_error());
                }
                Ok(f.exception
                    .borrow()
                    .clone()
                    .map(Obj::Exception)
                    .unwrap_or_default())
            }
            "set_result" | "set_exception" => {
                if f.task.is_some() {
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        format!("Task does not support {name} operation"),
                    ));
                }
                if f.is_done() {
                    return Err(Exception::msg(ExcKind::InvalidStateError, "invalid state"));
                }
                if args.len() != 1 {
                    let takes = if args.is_empty() {
                        "exactly 1 positional argument"
                    } else {
                        "at most 1 argument"
                    };
                    return Err(ops::type_error(format!(
                        "{name}() takes {takes} ({} given)",
                        args.len()
                    )));
                }
                match (name, arg(&args, 0)) {
                    (_, Obj::Exception(e)) if e.kind == ExcKind::StopIteration => {
                        return Err(ops::type_error(
                            "StopIteration interacts badly with generators and cannot be raised \
                             into a Future",
                        ))
                    }
                    ("set_result", v) => self.set_result(f, v),
                    (_, Obj::Exception(e)) => self.set_exception(f, e),
                    (_, Obj::Type(Type::Exc(kind))) => {
                        self.set_exception(f, Exception::new(kind, Vec::new()))
                    }
                    _ => return Err(ops::type_error("invalid exception object")),
                }
                Ok(Obj::None)
            }
            "cancel" => {
                if args.len() > 1 {
                    return Err(ops::type_error(format!(
                        "cancel() takes at most 1 argument ({} given)",
                        args.len()
                    )));
                }
                super::calls::only_keywords("cancel", kwargs, &["msg"])?;
                let msg = match (arg(&args, 0), kw(kwargs, "msg")) {
                    (Obj::None, Some(m)) => m.clone(),
                    (m, _) => m,
                };
                Ok(Obj::Bool(self.cancel(f, msg)?))
            }
            "get_name" => Ok(f
                .task
                .as_ref()
                .map(|t| Obj::Str(t.name.borrow().clone()))
                .unwrap_or_default()),
            "set_name" => {
                if let Some(t) = &f.task {
                    *t.name.borrow_mut() = Rc::from(str_of(&arg(&args, 0)));
                }
                Ok(Obj::None)
            }
            "cancelling" => Ok(Obj::Int(
                f.task
                    .as_ref()
                    .map(|t| t.num_cancels.get() as i64)
                    .unwrap_or(0),
            )),
            "uncancel" => {
                let n = f.task.as_ref().map(|t| {
                    let n = t.num_cancels.get().saturating_sub(1);
                    t.num_cancels.set(n);
                    n
                });
                Ok(Obj::Int(n.unwrap_or(0) as i64))
            }
            _ => Err(no_attr(&Obj::Future(f.clone()), name)),
        }
    }

    pub(super) fn native_method(
        &self,
        n: &Rc<NativeObj>,
        name: &str,
        args: Vec<Obj>,
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res {
        super::calls::check_method_call(n.type_name(), name, &args, &kwargs)?;
        let coro = |k: NativeKind| Ok(Obj::Coroutine(self.native_coro(NativeCoro::new(k))));
        match (&**n, name) {
            (NativeObj::Event(set, _), "is_set") => Ok(Obj::Bool(set.get())),
            (NativeObj::Event(set, _), "clear") => {
                set.set(false);
                Ok(Obj::None)
            }
            (NativeObj::Event(..), "set") => {
                aio::event_set(self, n);
                Ok(Obj::None)
            }
            (NativeObj::Event(..), "wait") => coro(NativeKind::EventWait(n.clone())),
            (NativeObj::Lock(locked, _), "locked") => Ok(Obj::Bool(locked.get())),
            (NativeObj::Lock(..), "acquire") => coro(NativeKind::LockAcquire(n.clone())),
            (NativeObj::Lock(locked, waiters), "release") => {
                if !locked.get() {
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        "Lock is not acquired.",
                    ));
                }
                locked.set(false);
                aio::lock_wake_first(self, waiters);
                Ok(Obj::None)
            }
            (NativeObj::Semaphore(v, w, _), "locked") => Ok(Obj::Bool(
                v.get() == 0 || w.borrow().iter().any(|f| !f.is_cancelled()),
            )),
            (NativeObj::Semaphore(..), "acquire") => coro(NativeKind::SemAcquire(n.clone())),
            (NativeObj::Semaphore(v, w, bound), "release") => {
                aio::sem_release(self, v, w, *bound)?;
                Ok(Obj::None)
            }
            (NativeObj::Queue(_), "put") => coro(NativeKind::QueuePut(n.clone(), arg(&args, 0))),
            (NativeObj::Queue(_), "get") => coro(NativeKind::QueueGet(n.clone())),
            (NativeObj::Queue(_), "join") => coro(NativeKind::QueueJoin(n.clone())),
            (NativeObj::Queue(_), "put_nowait") => {
                aio::queue_put_nowait(self, n, arg(&args, 0))?;
                Ok(Obj::None)
            }
            (NativeObj::Queue(_), "get_nowait") => aio::queue_get_nowait(self, n),
            (NativeObj::Queue(q), "qsize") => Ok(Obj::Int(q.borrow().items.len() as i64)),
            (NativeObj::Queue(q), "empty") => Ok(Obj::Bool(q.borrow().items.is_empty())),
            (NativeObj::Queue(q), "full") => Ok(Obj::Bool(aio::queue_full(&q.borrow()))),
            (NativeObj::Queue(q), "task_done") => {
                let finished = {
                    let mut q = q.borrow_mut();
                    if q.unfinished <= 0 {
                        return Err(value_error("task_done() called too many times"));
                    }
                    q.unfinished -= 1;
                    (q.unfinished == 0).then(|| q.finished.clone()).flatten()
                };
                if let Some(ev) = finished {
                    aio::event_set(self, &ev);
                }
                Ok(Obj::None)
            }
            (NativeObj::TaskGroup(g), "create_task") => {
                {
                    let g = g.borrow();
                    if !g.entered {
                        return Err(Exception::msg(
                            ExcKind::RuntimeError,
                            "TaskGroup has not been entered",
                        ));
                    }
                    if g.exiting && g.tasks.is_empty() {
                        return Err(Exception::msg(
                            ExcKind::RuntimeError,
                            "TaskGroup is finished",
                        ));
                    }
                    if g.aborting {
                        return Err(Exception::msg(
                            ExcKind::RuntimeError,
                            "TaskGroup is shutting down",
                        ));
                    }
                }
                let name = kw(&kwargs, "name").map(|n| Rc::from(str_of(n)));
                let task = self.create_task(arg(&args, 0), name)?;
                self.add_done_callback(&task, Callback::TaskGroup(n.clone()));
                g.borrow_mut().tasks.push(task.clone());
                Ok(Obj::Future(task))
            }
            (NativeObj::Timeout(t), "when") => {
                Ok(t.borrow().when.map(Obj::Float).unwrap_or_default())
            }
            (NativeObj::Timeout(t), "expired") => Ok(Obj::Bool(matches!(
                t.borrow().state,
                "expiring" | "expired"
            ))),
            (NativeObj::Timeout(_), "reschedule") => {
                let when = match arg(&args, 0) {
                    Obj::None => None,
                    x => Some(number(&x, "reschedule")?),
                };
                self.timeout_reschedule(n, when);
                Ok(Obj::None)
            }
            (NativeObj::Loop, "time") => Ok(Obj::Float(self.loop_time())),
            (NativeObj::Loop, "create_future") => Ok(Obj::Future(FutureObj::new())),
            (NativeObj::Loop, "create_task") => {
                Ok(Obj::Future(self.create_task(arg(&args, 0), None)?))
            }
            _ => Err(no_attr(&Obj::Native(n.clone()), name)),
        }
    }
}

pub(super) fn no_attr(obj: &Obj, name: &str) -> Exc {
    Exception::msg(
        ExcKind::AttributeError,
        format!("'{}' object has no attribute '{name}'", obj.type_name()),
    )
}

pub(super) const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy",
    "clear",
];
pub(super) const DICT_METHODS: &[&str] = &[
    "get",
    "keys",
    "values",
    "items",
    "pop",
    "setdefault",
    "update",
    "copy",
    "clear",
    "popitem",
];
pub(super) const SET_METHODS: &[&str] = &[
    "add",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
    "discard",
    "remove",
    "pop",
    "clear",
    "copy",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "update",
];
