//! The instruction loop: runs a stack of frames until it returns, raises, or awaits a future
//! that is not done (then the whole stack is left as it is, to be resumed there).

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::lang::python::code::{Const, Op};

use super::aio::{FutureObj, NStep};
use super::calls::make_function;
use super::frame::{unbound_cell, unbound_local, Block, Frame, FrameKind, Resume, Stack};
use super::iteration::iterable;
use super::object::{CoroState, Dict, ExcKind, Exception, Obj};
use super::ops::{self, repr, str_of, type_error, Exc, Res};
use super::Vm;

/// How a run of a stack stopped.
pub enum Outcome {
    /// It awaits this future, not yet done.
    Suspend(Rc<FutureObj>),
    /// A bare yield (`sleep(0)`): resume it in the next turn.
    Yield,
    /// Its outermost frame returned this.
    Return(Obj),
    /// A generator expression's frame yielded this (only a generator's stack does).
    Yielded(Obj),
    /// An exception left its outermost frame.
    Raise(Exc),
}

/// Why the instruction loop left a frame.
pub(super) enum Exit {
    Return(Obj),
    Raise(Exc),
    Push(FrameKind),
    Await(Obj),
    Yield(Obj),
}

/// Frames a stack may hold before `RecursionError`.
pub const MAX_FRAMES: usize = 1000;

impl Vm {
    /// Runs `stack` from where it stopped, resumed with `resume`.
    pub fn run(&self, stack: &mut Stack, mut resume: Resume) -> Outcome {
        loop {
            let Some(top) = stack.frames.last_mut() else {
                return match resume {
                    Resume::Nothing => Outcome::Return(Obj::None),
                    Resume::Value(v) => Outcome::Return(v),
                    Resume::Throw(e) => Outcome::Raise(e),
                };
            };
            let exit = match top {
                FrameKind::Native(n) => {
                    let step = n.resume(self, resume);
                    match step {
                        NStep::Await(obj) => Exit::Await(obj),
                        NStep::Yield => return Outcome::Yield,
                        NStep::Return(v) => Exit::Return(v),
                        NStep::Raise(e) => Exit::Raise(e),
                    }
                }
                FrameKind::Py(f) => {
                    match resume {
                        Resume::Nothing => {}
                        Resume::Value(v) => f.stack.push(v),
                        Resume::Throw(e) => {
                            if !self.unwind(f, &e, &mut stack.handled) {
                                self.recycle(stack.frames.pop());
                                resume = Resume::Throw(e);
                                continue;
                            }
                        }
                    }
                    self.exec(f, &mut stack.handled)
                }
            };
            resume = match exit {
                Exit::Yield(v) => return Outcome::Yielded(v),
                Exit::Return(v) => {
                    self.recycle(stack.frames.pop());
                    Resume::Value(v)
                }
                Exit::Raise(e) => {
                    self.recycle(stack.frames.pop());
                    Resume::Throw(e)
                }
                Exit::Push(frame) => {
                    if stack.frames.len() >= MAX_FRAMES || self.too_deep() {
                        Resume::Throw(Exception::msg(
                            ExcKind::RecursionError,
                            "maximum recursion depth exceeded",
                        ))
                    } else {
                        stack.frames.push(frame);
                        Resume::Nothing
                    }
                }
                Exit::Await(obj) => match obj {
                    Obj::Coroutine(c) => {
                        let state = std::mem::replace(&mut *c.state.borrow_mut(), CoroState::Taken);
                        match state {
                            CoroState::Fresh(frame) => {
                                stack.frames.push(FrameKind::Py(frame));
                                Resume::Nothing
                            }
                            CoroState::FreshNative(n) => {
                                stack.frames.push(FrameKind::Native(n));
                                Resume::Nothing
                            }
                            CoroState::Taken => Resume::Throw(Exception::msg(
                                ExcKind::RuntimeError,
                                "cannot reuse already awaited coroutine",
                            )),
                        }
                    }
                    Obj::Future(f) => {
                        if f.is_done() {
                            match f.outcome() {
                                Ok(v) => Resume::Value(v),
                                Err(e) => Resume::Throw(e),
                            }
                        } else {
                            return Outcome::Suspend(f);
                        }
                    }
                    other => Resume::Throw(type_error(format!(
                        "object {} can't be used in 'await' expression",
                        other.type_name()
                    ))),
                },
            };
        }
    }

    /// Finds a handler for `e` in `f`: true if it goes on there. Passing through records the
    /// frame in the traceback and restores what its handlers were handling.
    pub(super) fn unwind(&self, f: &mut Frame, e: &Exc, handled: &mut Option<Exc>) -> bool {
        e.traceback
            .borrow_mut()
            .push((f.code.qualname.clone(), f.line()));
        self.catch(f, e, handled)
    }

    fn catch(&self, f: &mut Frame, e: &Exc, handled: &mut Option<Exc>) -> bool {
        while let Some(b) = f.blocks.pop() {
            match b {
                Block::Handling { prev } => *handled = prev,
                Block::Try { handler, depth } => {
                    f.stack.truncate(depth as usize);
                    f.stack.push(Obj::Exception(e.clone()));
                    f.pc = handler as usize;
                    return true;
                }
            }
        }
        false
    }

    /// Runs one frame's instructions until it leaves the frame.
    fn exec(&self, f: &mut Frame, handled: &mut Option<Exc>) -> Exit {
        loop {
            match self.exec_until_error(f, handled) {
                Ok(exit) => return exit,
                Err(e) => {
                    if self.reraising.replace(false) {
                        if !self.catch(f, &e, handled) {
                            return Exit::Raise(e);
                        }
                        continue;
                    }
                    if let Some(h) = handled.clone() {
                        if !Rc::ptr_eq(&h, &e) && e.context.borrow().is_none() {
                            *e.context.borrow_mut() = Some(h);
                        }
                    }
                    if !self.unwind(f, &e, handled) {
                        return Exit::Raise(e);
                    }
                }
            }
        }
    }

    #[inline(always)]
    pub(super) fn pop(f: &mut Frame) -> Obj {
        f.stack.pop().unwrap_or_default()
    }

    fn exec_until_error(&self, f: &mut Frame, handled: &mut Option<Exc>) -> Res<Exit> {
        let code = f.code.clone();
        loop {
            let Some(&op) = code.ops.get(f.pc) else {
                return Ok(Exit::Return(Obj::None));
            };
            f.pc += 1;
            self.tick()?;
            match op {
                Op::Const(k) => f.stack.push(self.constant(&code.consts[k as usize])),
                Op::LoadFast(i) => match &f.locals[i as usize] {
                    Some(v) => f.stack.push(v.clone()),
                    None => return Err(unbound_local(&code, i)),
                },
                Op::StoreFast(i) => f.locals[i as usize] = Some(Self::pop(f)),
                Op::DeleteFast(i) => f.locals[i as usize] = None,
                Op::LoadCell(i) => {
                    let v = f.cells.get(i as usize).and_then(|c| c.borrow().clone());
                    match v {
                        Some(v) => f.stack.push(v),
                        None => return Err(unbound_cell(&code, i)),
                    }
                }
                Op::StoreCell(i) => {
                    let v = Self::pop(f);
                    if let Some(c) = f.cells.get(i as usize) {
                        *c.borrow_mut() = Some(v);
                    }
                }
                Op::DeleteLocal(_)
                | Op::DeleteCell(_)
                | Op::DeleteGlobal(_)
                | Op::DeleteSubscript => self.delete(f, op)?,
                Op::RaiseAssertion(with_message) => {
                    let args = if with_message {
                        vec![Self::pop(f)]
                    } else {
                        vec![]
                    };
                    return Err(Exception::new(ExcKind::AssertionError, args));
                }
                Op::LoadGlobal(i) => match self.load_global(i) {
                    Ok(v) => f.stack.push(v),
                    Err(e) => return Err(self.name_hint(f, i, e)),
                },
                Op::StoreGlobal(i) => {
                    let v = Self::pop(f);
                    self.store_global(i, v);
                }
                Op::LoadAttr(k) => {
                    let obj = Self::pop(f);
                    let name = self.const_str(&code.consts[k as usize]);
                    f.stack.push(self.get_attr(&obj, &name)?);
                }
                Op::StoreAttr(k) => {
                    let obj = Self::pop(f);
                    let _value = Self::pop(f);
                    let name = self.const_str(&code.consts[k as usize]);
                    return Err(Exception::msg(
                        ExcKind::AttributeError,
                        format!(
                            "'{}' object has no attribute '{name}' and no __dict__ for setting new attributes",
                            obj.type_name()
                        ),
                    ));
                }
                Op::Subscr => {
                    let key = Self::pop(f);
                    let obj = Self::pop(f);
                    f.stack.push(self.subscript(&obj, &key)?);
                }
                Op::StoreSubscr => {
                    let key = Self::pop(f);
                    let obj = Self::pop(f);
                    let value = Self::pop(f);
                    self.store_subscript(&obj, key, value)?;
                }
                Op::BuildSlice => {
                    let c = Self::pop(f);
                    let b = Self::pop(f);
                    let a = Self::pop(f);
                    f.stack.push(Obj::Slice(Rc::new([a, b, c])));
                }
                Op::Binary(op) => {
                    let b = Self::pop(f);
                    let a = Self::pop(f);
                    let r = ops::binary(op, &a, &b)?;
                    self.check_size(&r)?;
                    f.stack.push(r);
                }
                Op::Inplace(op) => {
                    let b = Self::pop(f);
                    let a = Self::pop(f);
                    let r = self.in_place(op, a, &b)?;
                    self.check_size(&r)?;
                    f.stack.push(r);
                }
                Op::Neg => {
                    let a = Self::pop(f);
                    f.stack.push(match a {
                        Obj::Int(i) => Obj::Int(i.checked_neg().ok_or_else(|| {
                            Exception::msg(
                                ExcKind::OverflowError,
                                "integer too large: Interleave's ints hold 64 bits",
                            )
                        })?),
                        Obj::Bool(b) => Obj::Int(-(b as i64)),
                        Obj::Float(x) => Obj::Float(-x),
                        other => {
                            return Err(type_error(format!(
                                "bad operand type for unary -: '{}'",
                                other.type_name()
                            )))
                        }
                    });
                }
                Op::Pos => {
                    let a = Self::pop(f);
                    f.stack.push(match a {
                        Obj::Bool(b) => Obj::Int(b as i64),
                        Obj::Int(_) | Obj::Float(_) => a,
                        other => {
                            return Err(type_error(format!(
                                "bad operand type for unary +: '{}'",
                                other.type_name()
                            )))
                        }
                    });
                }
                Op::Invert => {
                    let a = Self::pop(f);
                    match ops::as_int(&a) {
                        Some(i) => f.stack.push(Obj::Int(!i)),
                        None => {
                            return Err(type_error(format!(
                                "bad operand type for unary ~: '{}'",
                                a.type_name()
                            )))
                        }
                    }
                }
                Op::Not => {
                    let a = Self::pop(f);
                    f.stack.push(Obj::Bool(!a.truthy()));
                }
                Op::Compare(op) => {
                    let b = Self::pop(f);
                    let a = Self::pop(f);
                    let r = self.compare(op, &a, &b)?;
                    if ops::too_deep() {
                        return Err(Exception::msg(
                            ExcKind::RecursionError,
                            "maximum recursion depth exceeded in comparison",
                        ));
                    }
                    f.stack.push(Obj::Bool(r));
                }
                Op::Jump(t) => f.pc = t as usize,
                Op::JumpIfFalse(t) => {
                    if !Self::pop(f).truthy() {
                        f.pc = t as usize;
                    }
                }
                Op::JumpIfTrue(t) => {
                    if Self::pop(f).truthy() {
                        f.pc = t as usize;
                    }
                }
                Op::JumpIfFalseOrPop(t) => {
                    if f.stack.last().is_some_and(|v| !v.truthy()) {
                        f.pc = t as usize;
                    } else {
                        f.stack.pop();
                    }
                }
                Op::JumpIfTrueOrPop(t) => {
                    if f.stack.last().is_some_and(Obj::truthy) {
                        f.pc = t as usize;
                    } else {
                        f.stack.pop();
                    }
                }
                Op::GetIter => {
                    let v = Self::pop(f);
                    f.stack.push(self.iter(&v)?);
                }
                Op::ForIter(t) => {
                    let it = f.stack.last().cloned().unwrap_or_default();
                    match self.next(&it)? {
                        Some(v) => f.stack.push(v),
                        None => {
                            f.stack.pop();
                            f.pc = t as usize;
                        }
                    }
                }
                Op::YieldValue => return Ok(Exit::Yield(Self::pop(f))),
                Op::BuildList(n) => {
                    let items = f.stack.split_off(f.stack.len() - n as usize);
                    f.stack.push(Obj::list(items));
                }
                Op::BuildTuple(n) => {
                    let items = f.stack.split_off(f.stack.len() - n as usize);
                    f.stack.push(Obj::tuple(items));
                }
                Op::BuildSet(n) => {
                    let items = f.stack.split_off(f.stack.len() - n as usize);
                    let mut d = Dict::default();
                    for i in items {
                        let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                        d.insert(k, i, Obj::None);
                    }
                    f.stack.push(Obj::Set(Rc::new(RefCell::new(d))));
                }
                Op::BuildConstSet(n) => {
                    let items = f.stack.split_off(f.stack.len() - n as usize);
                    let set = Dict::constant_set(items);
                    f.stack.push(Obj::Set(Rc::new(RefCell::new(set))));
                }
                Op::BuildDict(n) => {
                    let items = f.stack.split_off(f.stack.len() - 2 * n as usize);
                    let mut d = Dict::default();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        let key = k.key().ok_or_else(|| ops::unhashable(&k))?;
                        d.insert(key, k, v);
                    }
                    f.stack.push(Obj::Dict(Rc::new(RefCell::new(d))));
                }
                Op::ListAppend(n) => {
                    let v = Self::pop(f);
                    if let Some(Obj::List(l)) = f.stack.get(f.stack.len() - n as usize) {
                        let mut l = l.borrow_mut();
                        if l.len() >= super::MAX_ITEMS {
                            return Err(Exception::new(ExcKind::MemoryError, vec![]));
                        }
                        l.push(v);
                    }
                }
                Op::SetAdd(n) => {
                    let v = Self::pop(f);
                    if let Some(Obj::Set(s)) = f.stack.get(f.stack.len() - n as usize) {
                        let k = v.key().ok_or_else(|| ops::unhashable(&v))?;
                        s.borrow_mut().insert(k, v, Obj::None);
                    }
                }
                Op::MapAdd(n) => {
                    let v = Self::pop(f);
                    let k = Self::pop(f);
                    if let Some(Obj::Dict(d)) = f.stack.get(f.stack.len() - n as usize) {
                        let key = k.key().ok_or_else(|| ops::unhashable(&k))?;
                        d.borrow_mut().insert(key, k, v);
                    }
                }
                Op::ListExtend(n) => {
                    let v = Self::pop(f);
                    if !iterable(&v) {
                        return Err(type_error(format!(
                            "Value after * must be an iterable, not {}",
                            v.type_name()
                        )));
                    }
                    let items = self.items(&v)?;
                    if let Some(Obj::List(l)) = f.stack.get(f.stack.len() - n as usize) {
                        l.borrow_mut().extend(items);
                    }
                }
                Op::SetUpdate(n) => {
                    let v = Self::pop(f);
                    let items = self.items(&v)?;
                    if let Some(Obj::Set(s)) = f.stack.get(f.stack.len() - n as usize) {
                        let mut s = s.borrow_mut();
                        for i in items {
                            let k = i.key().ok_or_else(|| ops::unhashable(&i))?;
                            s.insert(k, i, Obj::None);
                        }
                    }
                }
                Op::DictUpdate(n) => {
                    let v = Self::pop(f);
                    let Obj::Dict(src) = v else {
                        return Err(type_error(format!(
                            "'{}' object is not a mapping",
                            v.type_name()
                        )));
                    };
                    let pairs: Vec<(Obj, Obj)> = src.borrow().iter().cloned().collect();
                    if let Some(Obj::Dict(d)) = f.stack.get(f.stack.len() - n as usize) {
                        let mut d = d.borrow_mut();
                        for (k, v) in pairs {
                            if let Some(key) = k.key() {
                                d.insert(key, k, v);
                            }
                        }
                    }
                }
                Op::CallExtend => self.call_extend(f)?,
                Op::DictMerge => self.dict_merge(f)?,
                Op::ListToTuple => {
                    let v = Self::pop(f);
                    let items = self.items(&v)?;
                    f.stack.push(Obj::tuple(items));
                }
                Op::Call(n) => {
                    let base = f.stack.len() - n as usize;
                    // A Python function binds its arguments where they are.
                    if let Some(Obj::Function(fun)) = f.stack.get(base - 1) {
                        let fun = fun.clone();
                        let frame = self.bind(&fun, f.stack.slice(base), Vec::new())?;
                        f.stack.truncate(base - 1);
                        if let Some(exit) = self.enter(f, &fun, frame) {
                            return Ok(exit);
                        }
                        continue;
                    }
                    let args = f.stack.split_off(base);
                    let func = Self::pop(f);
                    if let Some(exit) = self.call_into(f, func, args, Vec::new())? {
                        return Ok(exit);
                    }
                }
                Op::LoadMethod(k) => {
                    let obj = Self::pop(f);
                    let name = self.const_str(&code.consts[k as usize]);
                    if self.has_method(&obj, &name) {
                        f.stack.push(obj);
                        f.stack.push(Obj::Str(name));
                    } else {
                        f.stack.push(self.get_attr(&obj, &name)?);
                        f.stack.push(Obj::None);
                    }
                }
                Op::CallMethod(n) => {
                    // The stack holds the target, the method's name (or `None` and the value
                    // to call), then the arguments: a method of a builtin object takes them
                    // where they are.
                    let base = f.stack.len() - n as usize;
                    if let (Some(target), Some(Obj::Str(name))) =
                        (f.stack.get(base - 2), f.stack.get(base - 1))
                    {
                        self.line.set(f.line());
                        let v = self.call_method(target, name, f.stack.slice(base), &[])?;
                        self.check_size(&v)?;
                        f.stack.truncate(base - 2);
                        f.stack.push(v);
                    } else {
                        let args = f.stack.split_off(base);
                        Self::pop(f);
                        let target = Self::pop(f);
                        if let Some(exit) = self.call_into(f, target, args, Vec::new())? {
                            return Ok(exit);
                        }
                    }
                }
                Op::CallKw(n, k) => {
                    let Const::Names(names) = &code.consts[k as usize] else {
                        return Err(type_error("bad call"));
                    };
                    let kwvalues = f.stack.split_off(f.stack.len() - names.len());
                    let args = f.stack.split_off(f.stack.len() - n as usize);
                    let func = Self::pop(f);
                    let kwargs = names.iter().cloned().zip(kwvalues).collect();
                    if let Some(exit) = self.call_into(f, func, args, kwargs)? {
                        return Ok(exit);
                    }
                }
                Op::CallEx(has_kw) => {
                    let kw = if has_kw { Self::pop(f) } else { Obj::None };
                    let args = Self::pop(f);
                    let func = Self::pop(f);
                    let args = self.items(&args)?;
                    let mut kwargs = Vec::new();
                    if let Obj::Dict(d) = kw {
                        for (k, v) in d.borrow().iter() {
                            match k {
                                Obj::Str(s) => kwargs.push((s.clone(), v.clone())),
                                _ => return Err(type_error("keywords must be strings")),
                            }
                        }
                    }
                    if let Some(exit) = self.call_into(f, func, args, kwargs)? {
                        return Ok(exit);
                    }
                }
                Op::MakeFunction(k, ndefaults) => {
                    let Const::Code(c) = &code.consts[k as usize] else {
                        return Err(type_error("bad function"));
                    };
                    let fun = make_function(f, c, ndefaults as usize);
                    f.stack.push(fun);
                }
                Op::Return => return Ok(Exit::Return(Self::pop(f))),
                Op::Pop => {
                    f.stack.pop();
                }
                Op::Dup => {
                    let v = f.stack.last().cloned().unwrap_or_default();
                    f.stack.push(v);
                }
                Op::Dup2 => {
                    let n = f.stack.len();
                    let at = |i: usize| f.stack.get(i).cloned().unwrap_or_default();
                    let (a, b) = (at(n - 2), at(n - 1));
                    f.stack.push(a);
                    f.stack.push(b);
                }
                Op::Rot2 => {
                    let n = f.stack.len();
                    f.stack.swap(n - 1, n - 2);
                }
                Op::Rot3 => {
                    let v = Self::pop(f);
                    let n = f.stack.len();
                    f.stack.insert(n - 2, v);
                }
                Op::Await => {
                    let v = Self::pop(f);
                    if self.watching.get() {
                        self.note_await(f.line());
                    }
                    return Ok(Exit::Await(v));
                }
                Op::Format(conv, has_spec) => {
                    let spec = if has_spec { Some(Self::pop(f)) } else { None };
                    let v = Self::pop(f);
                    let v = match conv {
                        1 => Obj::str(&str_of(&v)),
                        2 | 3 => Obj::str(&repr(&v)),
                        _ => v,
                    };
                    let text = match (&v, &spec) {
                        // `{name}` of a str is the str itself.
                        (Obj::Str(_), None) => {
                            f.stack.push(v);
                            continue;
                        }
                        (_, Some(Obj::Str(spec))) => ops::format(&v, spec)?,
                        (_, Some(spec)) => ops::format(&v, &str_of(spec))?,
                        (_, None) => ops::format(&v, "")?,
                    };
                    f.stack.push(Obj::str(&text));
                }
                Op::BuildString(n) => {
                    let base = f.stack.len() - n as usize;
                    let mut s = String::new();
                    for p in f.stack.slice(base) {
                        match p {
                            Obj::Str(part) => s.push_str(part),
                            other => s.push_str(&str_of(other)),
                        }
                    }
                    f.stack.truncate(base);
                    f.stack.push(Obj::str(&s));
                }
                Op::Unpack(n) => {
                    let v = Self::pop(f);
                    let items = self.unpack_items(&v)?;
                    if items.len() != n as usize {
                        return Err(ops::value_error(if items.len() > n as usize {
                            format!("too many values to unpack (expected {n})")
                        } else {
                            format!(
                                "not enough values to unpack (expected {n}, got {})",
                                items.len()
                            )
                        }));
                    }
                    f.stack.extend(items.into_iter().rev());
                }
                Op::UnpackEx(before, after) => {
                    let v = Self::pop(f);
                    let mut items = self.unpack_items(&v)?;
                    let (b, a) = (before as usize, after as usize);
                    if items.len() < b + a {
                        return Err(ops::value_error(format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            b + a,
                            items.len()
                        )));
                    }
                    let tail = items.split_off(items.len() - a);
                    let middle = items.split_off(b);
                    for x in tail.into_iter().rev() {
                        f.stack.push(x);
                    }
                    f.stack.push(Obj::list(middle));
                    for x in items.into_iter().rev() {
                        f.stack.push(x);
                    }
                }
                Op::Raise(n) => {
                    let cause = if n == 2 { Some(Self::pop(f)) } else { None };
                    let e = match n {
                        0 => match handled.clone() {
                            // A bare raise keeps the traceback it had.
                            Some(e) => return self.reraise(e),
                            None => {
                                return Err(Exception::msg(
                                    ExcKind::RuntimeError,
                                    "No active exception to reraise",
                                ))
                            }
                        },
                        _ => {
                            let v = Self::pop(f);
                            self.make_exception(v)?
                        }
                    };
                    if let Some(c) = cause {
                        match c {
                            Obj::None => {}
                            other => *e.cause.borrow_mut() = Some(self.make_exception(other)?),
                        }
                    }
                    return Err(e);
                }
                Op::Reraise => {
                    let v = Self::pop(f);
                    // Leave the handler this re-raise ends.
                    if let Some(pos) = f
                        .blocks
                        .iter()
                        .rposition(|b| matches!(b, Block::Handling { .. }))
                    {
                        if let Block::Handling { prev } = f.blocks.remove(pos) {
                            *handled = prev;
                        }
                    }
                    let Obj::Exception(e) = v else {
                        return Err(type_error("exceptions must derive from BaseException"));
                    };
                    return self.reraise(e);
                }
                Op::Setup(h) => f.blocks.push(Block::Try {
                    handler: h,
                    depth: f.stack.len() as u32,
                }),
                Op::PopBlock => {
                    f.blocks.pop();
                }
                Op::PushExc => {
                    let e = match f.stack.last() {
                        Some(Obj::Exception(e)) => Some(e.clone()),
                        _ => None,
                    };
                    let prev = std::mem::replace(handled, e);
                    f.blocks.push(Block::Handling { prev });
                }
                Op::PopExc => {
                    if let Some(pos) = f
                        .blocks
                        .iter()
                        .rposition(|b| matches!(b, Block::Handling { .. }))
                    {
                        if let Block::Handling { prev } = f.blocks.remove(pos) {
                            *handled = prev;
                        }
                    }
                }
                Op::ExcMatch => {
                    let t = Self::pop(f);
                    let Some(Obj::Exception(e)) = f.stack.last() else {
                        return Err(type_error("bad exception"));
                    };
                    let kinds: Vec<Obj> = match &t {
                        Obj::Tuple(items) => items.to_vec(),
                        other => vec![other.clone()],
                    };
                    let mut hit = false;
                    for k in kinds {
                        match k {
                            Obj::Type(super::object::Type::Exc(k)) => hit |= e.kind.is_a(k),
                            _ => {
                                return Err(type_error(
                                    "catching classes that do not inherit from BaseException is not allowed",
                                ))
                            }
                        }
                    }
                    f.stack.push(Obj::Bool(hit));
                }
                Op::WithEnter(is_async) => {
                    let cm = Self::pop(f);
                    let (exit, enter) = self.with_enter(&cm, is_async)?;
                    f.stack.push(exit);
                    f.stack.push(enter);
                }
                Op::WithExit => {
                    let exit = Self::pop(f);
                    f.stack.push(self.with_exit(&exit, None)?);
                }
                Op::WithExcept => {
                    let n = f.stack.len();
                    let exit = f.stack.get(n - 2).cloned().unwrap_or_default();
                    let e = match f.stack.get(n - 1) {
                        Some(Obj::Exception(e)) => Some(e.clone()),
                        _ => None,
                    };
                    f.stack.push(self.with_exit(&exit, e)?);
                }
                Op::Import(k) => {
                    let name = self.const_str(&code.consts[k as usize]);
                    f.stack.push(self.import(&name)?);
                }
            }
        }
    }

    /// Raises `e` again from this frame: its handlers are searched without a new traceback
    /// entry.
    fn reraise(&self, e: Exc) -> Res<Exit> {
        self.reraising.set(true);
        Err(e)
    }

    fn constant(&self, c: &Const) -> Obj {
        match c {
            Const::None => Obj::None,
            Const::Bool(b) => Obj::Bool(*b),
            Const::Int(i) => Obj::Int(*i),
            Const::Float(x) => Obj::Float(*x),
            Const::Str(s) => Obj::Str(s.clone()),
            Const::Ellipsis => Obj::Ellipsis,
            Const::Code(_) | Const::Names(_) => Obj::None,
        }
    }

    fn const_str(&self, c: &Const) -> Rc<str> {
        match c {
            Const::Str(s) => s.clone(),
            _ => Rc::from(""),
        }
    }

    /// An exception object from what `raise` was given (a class is instantiated).
    pub(super) fn make_exception(&self, v: Obj) -> Res<Exc> {
        match v {
            Obj::Exception(e) => Ok(e),
            Obj::Type(super::object::Type::Exc(k)) => Ok(Exception::new(k, vec![])),
            _ => Err(type_error("exceptions must derive from BaseException")),
        }
    }
}
