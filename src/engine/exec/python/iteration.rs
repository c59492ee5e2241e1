//! Iteration as CPython's: `iter()` and `next()` over every iterable, the iterators that run a
//! program's code as each item is asked for (generator expressions, `map`, `filter`, `zip`,
//! `enumerate`), loops in Rust that read items one at a time (`sum`, `any`, `in`), and all of
//! an iterable's items at once.

use std::cell::RefCell;
use std::rc::Rc;

use super::frame::{Frame, FrameKind, Resume, Stack};
use super::object::{range_len, ExcKind, Exception, GenState, Iter, Obj, View};
use super::ops::{self, type_error, value_error, Exc, Res};
use super::vm::Outcome;
use super::Vm;
use crate::engine::lang::python::code::CmpOp;

/// A generator of a generator expression's bound frame, not yet started.
pub(super) fn generator(frame: Box<Frame>) -> Obj {
    let stack = Stack {
        frames: vec![FrameKind::Py(frame)],
        handled: None,
    };
    Obj::Iterator(Rc::new(RefCell::new(Iter::Generator(GenState::Ready(
        Box::new(stack),
    )))))
}

impl Vm {
    /// Every item of an iterable, at once.
    pub(super) fn items(&self, v: &Obj) -> Res<Vec<Obj>> {
        let items = self.items_of(v)?;
        self.spend_items(items.len())?;
        Ok(items)
    }

    fn items_of(&self, v: &Obj) -> Res<Vec<Obj>> {
        Ok(match v {
            Obj::List(l) => l.borrow().clone(),
            Obj::Tuple(t) => t.to_vec(),
            Obj::Str(s) => s
                .chars()
                .map(|c| Obj::str(c.encode_utf8(&mut [0; 4])))
                .collect(),
            Obj::Dict(d) => d.borrow().iter().map(|(k, _)| k.clone()).collect(),
            Obj::Set(d) => d.borrow().set_order(),
            Obj::View(v, d) => v.items(&d.borrow()),
            Obj::Range(a, b, s) => {
                let n = range_len(*a, *b, *s);
                if n as usize > super::MAX_ITEMS {
                    return Err(Exception::new(ExcKind::MemoryError, vec![]));
                }
                (0..n).map(|i| Obj::Int(a + i * s)).collect()
            }
            Obj::Iterator(_) => {
                let mut out = Vec::new();
                while let Some(x) = self.next(v)? {
                    out.push(x);
                    if out.len() > super::MAX_ITEMS {
                        return Err(Exception::new(ExcKind::MemoryError, vec![]));
                    }
                }
                out
            }
            other => {
                return Err(type_error(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )))
            }
        })
    }

    /// `iter(v)`.
    pub(super) fn iter(&self, v: &Obj) -> Res {
        let it = match v {
            Obj::List(l) => Iter::List(l.clone(), 0),
            Obj::Tuple(t) => Iter::Items(t.clone(), 0),
            Obj::Range(a, b, s) => Iter::Range(*a, *b, *s),
            Obj::Str(s) => Iter::Chars(s.clone(), 0),
            Obj::Dict(d) | Obj::View(View::Keys, d) => {
                let version = d.borrow().version.get() as usize;
                Iter::Keys(d.clone(), 0, version)
            }
            Obj::View(v, d) => {
                let name = if *v == View::Items {
                    "dict_itemiterator"
                } else {
                    "dict_valueiterator"
                };
                let d2 = d.borrow();
                let items = Rc::new(super::object::Fixed(v.items(&d2).into_boxed_slice()));
                Iter::Sized(items, 0, d.clone(), d2.len(), name)
            }
            // A set iterates in its table's order (a snapshot).
            Obj::Set(d) => {
                let d2 = d.borrow();
                let items = Rc::new(super::object::Fixed(d2.set_order().into_boxed_slice()));
                Iter::Sized(items, 0, d.clone(), d2.len(), "set_iterator")
            }
            Obj::Iterator(_) => return Ok(v.clone()),
            other => {
                return Err(type_error(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )))
            }
        };
        Ok(Obj::Iterator(Rc::new(RefCell::new(it))))
    }

    /// The next item of an iterator, or `None` at its end.
    pub(super) fn next(&self, it: &Obj) -> Res<Option<Obj>> {
        let Obj::Iterator(it) = it else {
            return Err(type_error(format!(
                "'{}' object is not an iterator",
                it.type_name()
            )));
        };
        let mut cell = it.borrow_mut();
        Ok(match &mut *cell {
            Iter::Generator(_)
            | Iter::Map(..)
            | Iter::Filter(..)
            | Iter::Zip(..)
            | Iter::Enumerate(..) => {
                drop(cell);
                return self.next_running(it);
            }
            Iter::List(l, i) => {
                let v = l.borrow().get(*i).cloned();
                *i += 1;
                v
            }
            Iter::Items(t, i) => {
                let v = t.get(*i).cloned();
                *i += 1;
                v
            }
            Iter::Sized(t, i, of, len, name) => {
                if of.borrow().len() != *len {
                    let what = if *name == "set_iterator" {
                        "Set"
                    } else {
                        "dictionary"
                    };
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        format!("{what} changed size during iteration"),
                    ));
                }
                let v = t.get(*i).cloned();
                *i += 1;
                v
            }
            Iter::Range(a, b, s) => {
                if (*s > 0 && *a < *b) || (*s < 0 && *a > *b) {
                    let v = *a;
                    *a += *s;
                    Some(Obj::Int(v))
                } else {
                    None
                }
            }
            Iter::Chars(s, i) => {
                let c = s[*i..].chars().next();
                match c {
                    Some(c) => {
                        *i += c.len_utf8();
                        Some(Obj::str(c.encode_utf8(&mut [0; 4])))
                    }
                    None => None,
                }
            }
            Iter::Keys(d, i, version) => {
                let d = d.borrow();
                if d.version.get() as usize != *version {
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        "dictionary changed size during iteration",
                    ));
                }
                match d.next_from(*i) {
                    Some((at, k)) => {
                        *i = at + 1;
                        Some(k)
                    }
                    None => None,
                }
            }
        })
    }

    /// The next item of an iterator that runs a program's code to make it (a generator
    /// expression, `map`, `filter`, and `zip` or `enumerate` over any iterator), item by item as
    /// CPython's do: no borrow of it is held while that code runs, since the code may ask the
    /// same iterator for its next item.
    fn next_running(&self, it: &Rc<RefCell<Iter>>) -> Res<Option<Obj>> {
        enum Next {
            Generator(Box<Stack>),
            Map(Obj, Rc<[Obj]>),
            Filter(Obj, Obj),
            Zip(Rc<[Obj]>, bool),
            Enumerate(Obj, i64),
        }
        let next = match &mut *it.borrow_mut() {
            Iter::Generator(state) => match std::mem::replace(state, GenState::Running) {
                GenState::Ready(stack) => Next::Generator(stack),
                GenState::Running => return Err(value_error("generator already executing")),
                GenState::Done => {
                    *state = GenState::Done;
                    return Ok(None);
                }
            },
            Iter::Map(f, its) => Next::Map(f.clone(), its.clone()),
            Iter::Filter(f, inner) => Next::Filter(f.clone(), inner.clone()),
            Iter::Zip(its, strict) => Next::Zip(its.clone(), *strict),
            Iter::Enumerate(inner, n) => Next::Enumerate(inner.clone(), *n),
            _ => return Ok(None),
        };
        match next {
            Next::Generator(mut stack) => {
                let out = if self.too_deep() {
                    Outcome::Raise(Exception::msg(
                        ExcKind::RecursionError,
                        "maximum recursion depth exceeded",
                    ))
                } else {
                    self.nesting.set(self.nesting.get() + 1);
                    let out = self.run(&mut stack, Resume::Nothing);
                    self.nesting.set(self.nesting.get() - 1);
                    out
                };
                let (state, item) = match out {
                    Outcome::Yielded(v) => (GenState::Ready(stack), Ok(Some(v))),
                    Outcome::Return(_) => (GenState::Done, Ok(None)),
                    // PEP 479: a StopIteration out of a generator's body is an error.
                    Outcome::Raise(e) if e.kind == ExcKind::StopIteration => {
                        let error =
                            Exception::msg(ExcKind::RuntimeError, "generator raised StopIteration");
                        *error.cause.borrow_mut() = Some(e);
                        (GenState::Done, Err(error))
                    }
                    Outcome::Raise(e) => (GenState::Done, Err(e)),
                    Outcome::Suspend(_) | Outcome::Yield => (
                        GenState::Done,
                        Err(Exception::msg(
                            ExcKind::RuntimeError,
                            "a generator expression cannot await",
                        )),
                    ),
                };
                *it.borrow_mut() = Iter::Generator(state);
                item
            }
            Next::Map(f, its) => {
                let mut args = Vec::with_capacity(its.len());
                for i in its.iter() {
                    match self.next(i)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                self.call_sync(&f, args).map(Some)
            }
            Next::Filter(f, inner) => loop {
                let Some(x) = self.next(&inner)? else {
                    return Ok(None);
                };
                let keep = match &f {
                    Obj::None => x.truthy(),
                    f => self.call_sync(f, vec![x.clone()])?.truthy(),
                };
                if keep {
                    return Ok(Some(x));
                }
                self.tick()?;
            },
            Next::Zip(its, strict) => {
                if its.is_empty() {
                    return Ok(None);
                }
                let mut items = Vec::with_capacity(its.len());
                for (i, it) in its.iter().enumerate() {
                    match self.next(it)? {
                        Some(v) => items.push(v),
                        None => match strict.then(|| self.zip_uneven(&its, i)).flatten() {
                            Some(e) => return Err(e),
                            None => return Ok(None),
                        },
                    }
                }
                Ok(Some(Obj::tuple(items)))
            }
            Next::Enumerate(inner, n) => {
                let Some(x) = self.next(&inner)? else {
                    return Ok(None);
                };
                if let Iter::Enumerate(_, count) = &mut *it.borrow_mut() {
                    *count = n.checked_add(1).ok_or_else(ops::overflow)?;
                }
                Ok(Some(Obj::tuple(vec![Obj::Int(n), x])))
            }
        }
    }

    /// `a op b`; `in` over an iterator reads it only up to the item found, as CPython does.
    pub(super) fn compare(&self, op: CmpOp, a: &Obj, b: &Obj) -> Res<bool> {
        let is_in = matches!(op, CmpOp::In | CmpOp::NotIn);
        if let (true, Obj::View(View::Keys, d)) = (is_in, b) {
            return ops::compare(op, a, &Obj::Dict(d.clone()));
        }
        if is_in && matches!(b, Obj::Iterator(_) | Obj::View(..)) {
            let mut found = false;
            self.for_each(b, |x| {
                found = ops::equal(&x, a);
                Ok(!found)
            })?;
            return Ok(found == (op == CmpOp::In));
        }
        if let (true, Obj::List(l)) = (is_in, b) {
            self.spend_items(l.borrow().len())?;
        }
        ops::compare(op, a, b)
    }

    /// `zip(..., strict=True)` when argument `i` ran out: shorter than those before it, or (if
    /// it is the first) one after it is longer, worded as CPython words it; none if all ran
    /// out together.
    fn zip_uneven(&self, its: &[Obj], i: usize) -> Option<Exc> {
        let (what, n) = if i > 0 {
            ("shorter", i)
        } else {
            let j = (1..its.len()).find(|&j| matches!(self.next(&its[j]), Ok(Some(_))))?;
            ("longer", j)
        };
        let than = if n == 1 {
            " 1".to_string()
        } else {
            format!("s 1-{n}")
        };
        Some(value_error(format!(
            "zip() argument {} is {what} than argument{than}",
            n + 1
        )))
    }

    /// The items `a, b = v` unpacks, or CPython's `TypeError` for a value that is not iterable.
    pub(super) fn unpack_items(&self, v: &Obj) -> Res<Vec<Obj>> {
        if !iterable(v) {
            return Err(type_error(format!(
                "cannot unpack non-iterable {} object",
                v.type_name()
            )));
        }
        self.items(v)
    }

    /// Goes over an iterable's items one at a time, as CPython's loops in C do (`sum`, `any`,
    /// `min`, `in`): a generator runs only as far as `each` asks (it says whether to go on).
    pub(super) fn for_each(&self, v: &Obj, mut each: impl FnMut(Obj) -> Res<bool>) -> Res<()> {
        let it = self.iter(v)?;
        let mut n = 0usize;
        while let Some(x) = self.next(&it)? {
            if !each(x)? {
                break;
            }
            n += 1;
            if n % 256 == 0 {
                self.spend_items(256)?;
            }
        }
        Ok(())
    }
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
