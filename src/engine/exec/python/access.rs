//! Calling Python functions (arguments bound as CPython binds them, generator expressions made
//! generators), `del`, subscripts and attributes of builtin objects.

use std::cell::RefCell;
use std::rc::Rc;

use super::aio::NativeObj;
use super::frame::{unbound_cell, unbound_local, Frame, FrameKind, Resume, Stack};
use super::object::{range_len, CoroState, Coroutine, ExcKind, Exception, Function, Obj, Type};
use super::ops::{self, as_int, repr, type_error, value_error, Res};
use super::vm::Outcome;
use super::Vm;

/// The builtin functions by name.
use super::builtins::int_arg;
use super::iteration::generator;
use super::library::module_attr;
use super::methods::{no_attr, DICT_METHODS, LIST_METHODS, SET_METHODS};
use super::strings::STR_METHODS;
use super::vm::Exit;
use super::SPARE_FRAMES;
use crate::engine::lang::python::code::{BinOp, Code, Op};

impl Vm {
    /// A Python function's frame, bound: pushed to run now, or (an `async def`'s) made a
    /// coroutine object on `f`'s stack.
    pub(super) fn enter(&self, f: &mut Frame, fun: &Function, frame: Box<Frame>) -> Option<Exit> {
        if fun.code.is_generator {
            f.stack.push(generator(frame));
            return None;
        }
        if fun.code.is_async {
            self.line.set(f.line());
            f.stack.push(self.coroutine(fun, frame));
            return None;
        }
        Some(Exit::Push(FrameKind::Py(frame)))
    }

    /// Calls `func`: a Python function's frame is pushed (the exit returned); anything else
    /// runs now, its result pushed on `f`'s stack.
    pub(super) fn call_into(
        &self,
        f: &mut Frame,
        func: Obj,
        args: Vec<Obj>,
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res<Option<Exit>> {
        if let Obj::Function(fun) = &func {
            let frame = self.bind(fun, &args, kwargs)?;
            return Ok(self.enter(f, fun, frame));
        }
        self.line.set(f.line());
        if let Obj::Builtin("asyncio.run") = func {
            super::calls::check_asyncio_call("run", &args, &kwargs)?;
            let coro = args.into_iter().next().unwrap_or_default();
            let fut = self.asyncio_run(coro)?;
            return Ok(Some(Exit::Await(Obj::Future(fut))));
        }
        let v = self.call(&func, args, kwargs)?;
        f.stack.push(v);
        Ok(None)
    }

    /// A coroutine object of an `async def` call.
    pub(super) fn coroutine(&self, fun: &Function, frame: Box<Frame>) -> Obj {
        let args: Vec<String> = frame.locals[..fun.code.params as usize]
            .iter()
            .map(|a| a.as_ref().map(repr).unwrap_or_default())
            .collect();
        Obj::Coroutine(Rc::new(Coroutine {
            name: fun.code.qualname.clone(),
            call: Rc::from(format!("{}({})", fun.code.name, args.join(", "))),
            line: self.line.get(),
            state: RefCell::new(CoroState::Fresh(frame)),
        }))
    }

    /// A frame of `code`: one that ran before and was put back (see [`Vm::recycle`]), or a
    /// new one.
    pub(super) fn new_frame(
        &self,
        code: &Rc<Code>,
        closure: &[Rc<RefCell<Option<Obj>>>],
    ) -> Box<Frame> {
        match self.spare_frames.borrow_mut().pop() {
            Some(mut frame) => {
                frame.reset(code.clone(), closure);
                frame
            }
            None => Box::new(Frame::new(code.clone(), closure)),
        }
    }

    /// Puts a frame that is over back for another call (a few are kept).
    pub(super) fn recycle(&self, frame: Option<FrameKind>) {
        if let Some(FrameKind::Py(mut frame)) = frame {
            frame.clear();
            let mut spare = self.spare_frames.borrow_mut();
            if spare.len() < SPARE_FRAMES {
                spare.push(frame);
            }
        }
    }

    /// `a op= b`: a list extended and a set changed in place, anything else a new value.
    pub(super) fn in_place(&self, op: BinOp, a: Obj, b: &Obj) -> Res {
        match (&a, op) {
            (Obj::List(l), BinOp::Add) => {
                let items = self.items(b)?;
                l.borrow_mut().extend(items);
                Ok(a)
            }
            (Obj::Set(s), _) if matches!(b, Obj::Set(_)) => ops::set_in_place(op, s, &a, b),
            _ => ops::binary(op, &a, b),
        }
    }

    /// Calls a callable from Rust (a `key=` function, a builtin): Python code runs to its end.
    pub(super) fn call_sync(&self, func: &Obj, args: Vec<Obj>) -> Res {
        if let Obj::Function(fun) = func {
            if fun.code.is_generator {
                return Ok(generator(self.bind(fun, &args, Vec::new())?));
            }
            if fun.code.is_async {
                let frame = self.bind(fun, &args, Vec::new())?;
                return Ok(self.coroutine(fun, frame));
            }
            let frame = self.bind(fun, &args, Vec::new())?;
            if self.nesting.get() > 150 {
                return Err(Exception::msg(
                    ExcKind::RecursionError,
                    "maximum recursion depth exceeded",
                ));
            }
            self.nesting.set(self.nesting.get() + 1);
            let mut stack = Stack {
                frames: vec![FrameKind::Py(frame)],
                handled: None,
            };
            let out = self.run(&mut stack, Resume::Nothing);
            self.nesting.set(self.nesting.get() - 1);
            return match out {
                Outcome::Return(v) => Ok(v),
                Outcome::Raise(e) => Err(e),
                _ => Err(Exception::msg(
                    ExcKind::RuntimeError,
                    "a function called here cannot await",
                )),
            };
        }
        self.call(func, args, Vec::new())
    }

    pub(super) fn index_of(&self, len: usize, key: &Obj, what: &str) -> Res<usize> {
        let i = as_int(key).ok_or_else(|| {
            type_error(format!(
                "{what} indices must be integers or slices, not {}",
                key.type_name()
            ))
        })?;
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return Err(Exception::msg(
                ExcKind::IndexError,
                format!("{what} index out of range"),
            ));
        }
        Ok(j as usize)
    }

    pub(super) fn slice_indices(&self, s: &[Obj; 3], len: usize) -> Res<Vec<usize>> {
        let step = match &s[2] {
            Obj::None => 1,
            x => int_arg(x)?,
        };
        if step == 0 {
            return Err(value_error("slice step cannot be zero"));
        }
        let len = len as i64;
        let clamp = |x: &Obj, default: i64| -> Res<i64> {
            Ok(match x {
                Obj::None => default,
                x => {
                    let v = int_arg(x)?;
                    let v = if v < 0 { v + len } else { v };
                    if step > 0 {
                        v.clamp(0, len)
                    } else {
                        v.clamp(-1, len - 1)
                    }
                }
            })
        };
        let (start, stop) = if step > 0 {
            (clamp(&s[0], 0)?, clamp(&s[1], len)?)
        } else {
            (clamp(&s[0], len - 1)?, clamp(&s[1], -1)?)
        };
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(i as usize);
            i += step;
        }
        Ok(out)
    }

    /// `obj[key]`.
    pub(super) fn subscript(&self, obj: &Obj, key: &Obj) -> Res {
        if let Obj::Slice(s) = key {
            return Ok(match obj {
                Obj::List(l) => {
                    let l = l.borrow();
                    Obj::list(
                        self.slice_indices(s, l.len())?
                            .into_iter()
                            .map(|i| l[i].clone())
                            .collect(),
                    )
                }
                Obj::Tuple(t) => Obj::tuple(
                    self.slice_indices(s, t.len())?
                        .into_iter()
                        .map(|i| t[i].clone())
                        .collect(),
                ),
                Obj::Str(st) => {
                    let chars: Vec<char> = st.chars().collect();
                    let picked: String = self
                        .slice_indices(s, chars.len())?
                        .into_iter()
                        .map(|i| chars[i])
                        .collect();
                    Obj::str(&picked)
                }
                other => {
                    return Err(type_error(format!(
                        "'{}' object is not subscriptable",
                        other.type_name()
                    )))
                }
            });
        }
        match obj {
            Obj::List(l) => {
                let l = l.borrow();
                let i = self.index_of(l.len(), key, "list")?;
                Ok(l[i].clone())
            }
            Obj::Tuple(t) => {
                let i = self.index_of(t.len(), key, "tuple")?;
                Ok(t[i].clone())
            }
            Obj::Str(s) => {
                let n = s.chars().count();
                let i = self.index_of(n, key, "string")?;
                Ok(Obj::str(
                    &s.chars().nth(i).map(String::from).unwrap_or_default(),
                ))
            }
            Obj::Range(a, b, st) => {
                let n = range_len(*a, *b, *st) as usize;
                let i = self.index_of(n, key, "range object")?;
                Ok(Obj::Int(a + i as i64 * st))
            }
            Obj::Dict(d) => {
                let k = key.key().ok_or_else(|| ops::unhashable(key))?;
                d.borrow()
                    .get(&k)
                    .cloned()
                    .ok_or_else(|| Exception::new(ExcKind::KeyError, vec![key.clone()]))
            }
            other => Err(type_error(format!(
                "'{}' object is not subscriptable",
                other.type_name()
            ))),
        }
    }

    /// `obj[key] = value`.
    /// A `del` instruction: a local, a cell's variable or a global left without a value (an
    /// error if it has none), or `del obj[key]`.
    pub(super) fn delete(&self, f: &mut Frame, op: Op) -> Res<()> {
        match op {
            Op::DeleteLocal(i) => match f.locals.get_mut(i as usize).and_then(Option::take) {
                Some(_) => Ok(()),
                None => Err(unbound_local(&f.code, i)),
            },
            Op::DeleteCell(i) => {
                match f.cells.get(i as usize).and_then(|c| c.borrow_mut().take()) {
                    Some(_) => Ok(()),
                    None => Err(unbound_cell(&f.code, i)),
                }
            }
            Op::DeleteGlobal(i) => self.delete_global(i),
            _ => {
                let key = f.stack.pop().unwrap_or_default();
                let obj = f.stack.pop().unwrap_or_default();
                self.delete_subscript(&obj, &key)
            }
        }
    }

    /// `del obj[key]`: an item or a slice out of a list, a key out of a dict.
    pub(super) fn delete_subscript(&self, obj: &Obj, key: &Obj) -> Res<()> {
        match obj {
            Obj::List(l) => {
                let mut l = l.borrow_mut();
                if let Obj::Slice(s) = key {
                    let mut idx = self.slice_indices(s, l.len())?;
                    self.spend_items(idx.len() * l.len() / 64)?;
                    // From the last index back, so each one still points at its item.
                    if idx.first() < idx.last() {
                        idx.reverse();
                    }
                    for i in idx {
                        l.remove(i);
                    }
                    return Ok(());
                }
                let i = self.index_of(l.len(), key, "list assignment")?;
                l.remove(i);
                Ok(())
            }
            Obj::Dict(d) => {
                let k = key.key().ok_or_else(|| ops::unhashable(key))?;
                match d.borrow_mut().remove(&k) {
                    Some(_) => Ok(()),
                    None => Err(Exception::new(ExcKind::KeyError, vec![key.clone()])),
                }
            }
            other => Err(type_error(format!(
                "'{}' object doesn't support item deletion",
                other.type_name()
            ))),
        }
    }

    pub(super) fn store_subscript(&self, obj: &Obj, key: Obj, value: Obj) -> Res<()> {
        match obj {
            Obj::List(l) => {
                if let Obj::Slice(s) = &key {
                    let items = self.items(&value)?;
                    let mut l = l.borrow_mut();
                    let idx = self.slice_indices(s, l.len())?;
                    if matches!(s[2], Obj::None) {
                        let start = idx.first().copied().unwrap_or_else(|| {
                            as_int(&s[0])
                                .map(|v| {
                                    if v < 0 {
                                        (v + l.len() as i64).max(0) as usize
                                    } else {
                                        (v as usize).min(l.len())
                                    }
                                })
                                .unwrap_or(0)
                        });
                        let end = start + idx.len();
                        l.splice(start..end, items);
                    } else {
                        if idx.len() != items.len() {
                            return Err(value_error(format!(
                                "attempt to assign sequence of size {} to extended slice of size {}",
                                items.len(),
                                idx.len()
                            )));
                        }
                        for (i, v) in idx.into_iter().zip(items) {
                            l[i] = v;
                        }
                    }
                    return Ok(());
                }
                let mut l = l.borrow_mut();
                let i = self.index_of(l.len(), &key, "list assignment")?;
                l[i] = value;
                Ok(())
            }
            Obj::Dict(d) => {
                let k = key.key().ok_or_else(|| ops::unhashable(&key))?;
                d.borrow_mut().insert(k, key, value);
                Ok(())
            }
            other => Err(type_error(format!(
                "'{}' object does not support item assignment",
                other.type_name()
            ))),
        }
    }

    /// True if `obj.name` is a method of a str, list, dict or set (called without a bound
    /// method being made).
    pub(super) fn has_method(&self, obj: &Obj, name: &str) -> bool {
        match obj {
            Obj::Str(_) => STR_METHODS.contains(&name),
            Obj::List(_) => LIST_METHODS.contains(&name),
            Obj::Dict(_) => DICT_METHODS.contains(&name),
            Obj::Set(_) => SET_METHODS.contains(&name),
            _ => false,
        }
    }

    /// `obj.name`.
    pub(super) fn get_attr(&self, obj: &Obj, name: &Rc<str>) -> Res {
        let method = |ok: bool| -> Res {
            if ok {
                Ok(Obj::Method(Rc::new((obj.clone(), name.clone()))))
            } else {
                Err(no_attr(obj, name))
            }
        };
        if &**name == "__class__" {
            return self.call_builtin("type", vec![obj.clone()], Vec::new());
        }
        match obj {
            Obj::Module(m) => module_attr(m, name).ok_or_else(|| {
                Exception::msg(
                    ExcKind::AttributeError,
                    format!("module '{m}' has no attribute '{name}'"),
                )
            }),
            Obj::Str(_) => method(STR_METHODS.contains(&&**name)),
            Obj::List(_) => method(LIST_METHODS.contains(&&**name)),
            Obj::Dict(_) => method(DICT_METHODS.contains(&&**name)),
            Obj::Set(_) => method(SET_METHODS.contains(&&**name)),
            Obj::Int(_) | Obj::Bool(_) => method(matches!(&**name, "bit_length")),
            Obj::Float(_) => method(matches!(&**name, "is_integer")),
            Obj::Tuple(_) => method(matches!(&**name, "index" | "count")),
            Obj::Future(f) => method(
                matches!(
                    &**name,
                    "done"
                        | "cancelled"
                        | "result"
                        | "exception"
                        | "cancel"
                        | "set_result"
                        | "set_exception"
                ) || (f.task.is_some()
                    && matches!(
                        &**name,
                        "get_name" | "set_name" | "cancelling" | "uncancel" | "get_coro"
                    )),
            ),
            Obj::Exception(e) => match &**name {
                "args" => Ok(Obj::tuple(e.args.clone())),
                "message" if e.kind.is_a(ExcKind::BaseExceptionGroup) => {
                    Ok(e.args.first().cloned().unwrap_or_default())
                }
                // An OSError made with an errno and a message has them as attributes.
                "errno" | "strerror" | "filename" | "filename2"
                    if e.kind.is_a(ExcKind::OSError) =>
                {
                    let i = match &**name {
                        "errno" => 0,
                        "strerror" => 1,
                        "filename" => 2,
                        _ => 4,
                    };
                    let given = (2..=5).contains(&e.args.len());
                    Ok(e.args.get(i).filter(|_| given).cloned().unwrap_or_default())
                }
                "exceptions" => Ok(Obj::tuple(
                    e.group.iter().map(|x| Obj::Exception(x.clone())).collect(),
                )),
                "__cause__" => Ok(e
                    .cause
                    .borrow()
                    .clone()
                    .map(Obj::Exception)
                    .unwrap_or_default()),
                "__context__" => Ok(e
                    .context
                    .borrow()
                    .clone()
                    .map(Obj::Exception)
                    .unwrap_or_default()),
                _ => Err(no_attr(obj, name)),
            },
            Obj::Function(f) => match &**name {
                "__name__" => Ok(Obj::Str(f.code.name.clone())),
                "__qualname__" => Ok(Obj::Str(f.code.qualname.clone())),
                _ => Err(no_attr(obj, name)),
            },
            Obj::Type(t) if &**name == "__name__" => Ok(Obj::str(t.name())),
            // `str.lower`: a method of the class, called with the object first
            // (`sorted(words, key=str.lower)`).
            Obj::Type(Type::Dict) if &**name == "fromkeys" => Ok(Obj::Builtin("dict.fromkeys")),
            Obj::Type(t) => {
                let methods: &[&str] = match t {
                    Type::Str => STR_METHODS,
                    Type::List => LIST_METHODS,
                    Type::Dict => DICT_METHODS,
                    Type::Set => SET_METHODS,
                    _ => &[],
                };
                method(methods.contains(&&**name))
            }
            Obj::Native(n) => {
                let ok = match &**n {
                    NativeObj::Event(..) => matches!(&**name, "set" | "clear" | "is_set" | "wait"),
                    NativeObj::Lock(..) => matches!(&**name, "acquire" | "release" | "locked"),
                    NativeObj::Semaphore(..) => matches!(&**name, "acquire" | "release" | "locked"),
                    NativeObj::Queue(_) => matches!(
                        &**name,
                        "put"
                            | "get"
                            | "put_nowait"
                            | "get_nowait"
                            | "task_done"
                            | "join"
                            | "qsize"
                            | "empty"
                            | "full"
                    ),
                    NativeObj::TaskGroup(_) => matches!(&**name, "create_task"),
                    NativeObj::Timeout(_) => matches!(&**name, "when" | "reschedule" | "expired"),
                    NativeObj::Loop => matches!(&**name, "time" | "create_task" | "create_future"),
                };
                if let (NativeObj::Queue(q), "maxsize") = (&**n, &**name) {
                    return Ok(Obj::Int(q.borrow().maxsize));
                }
                method(ok)
            }
            _ => Err(no_attr(obj, name)),
        }
    }
}
