//! Python's objects as the interpreter keeps them: numbers, strings, containers, functions,
//! coroutines, futures and tasks, exceptions, and the types that make them.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::engine::lang::python::code::Code;

use super::aio::{FutureObj, NativeCoro, NativeObj};
use super::frame::{Frame, Stack};

#[path = "sets.rs"]
mod sets;

/// One Python object.
#[derive(Clone, Debug, Default)]
pub enum Obj {
    /// `None`.
    #[default]
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An int that fits 64 bits (past that, `OverflowError`).
    Int(i64),
    /// A float.
    Float(f64),
    /// A str.
    Str(Rc<str>),
    /// A list.
    List(Rc<Items>),
    /// A tuple.
    Tuple(Rc<Fixed>),
    /// A dict.
    Dict(Rc<RefCell<Dict>>),
    /// A set (a dict of keys alone).
    Set(Rc<RefCell<Dict>>),
    /// `d.keys()`, `d.values()`, `d.items()`: a view of the dict, which sees it change.
    View(View, Rc<RefCell<Dict>>),
    /// `range(start, stop, step)`.
    Range(i64, i64, i64),
    /// `slice(lower, upper, step)`.
    Slice(Rc<[Obj; 3]>),
    /// A function of the program.
    Function(Rc<Function>),
    /// A builtin function, by its name (`print`, `asyncio.sleep`).
    Builtin(&'static str),
    /// A method of a builtin object, bound to it.
    Method(Rc<(Obj, Rc<str>)>),
    /// A type: `int`, `ValueError`, ...
    Type(Type),
    /// An exception.
    Exception(Rc<Exception>),
    /// A coroutine object.
    Coroutine(Rc<Coroutine>),
    /// An asyncio future or task.
    Future(Rc<FutureObj>),
    /// An iterator.
    Iterator(Rc<RefCell<Iter>>),
    /// A module: `asyncio`, `time`, `random`.
    Module(&'static str),
    /// An asyncio object: a queue, lock, event, semaphore, task group, timeout, the loop.
    Native(Rc<NativeObj>),
    /// `...`.
    Ellipsis,
}

/// A function of the program.
#[derive(Debug)]
pub struct Function {
    /// Its code.
    pub code: Rc<Code>,
    /// The values of its last positional parameters' defaults.
    pub defaults: Vec<Obj>,
    /// Each keyword-only parameter's default, if it has one.
    pub kw_defaults: Vec<Option<Obj>>,
    /// The cells it closes over.
    pub closure: Vec<Rc<RefCell<Option<Obj>>>>,
}

/// What a coroutine object holds until it is awaited.
#[derive(Debug)]
pub enum CoroState {
    /// Made, not yet run: its first frame.
    Fresh(Box<Frame>),
    /// A coroutine of asyncio's, not yet run.
    FreshNative(Box<NativeCoro>),
    /// Awaited (running or over).
    Taken,
}

/// A coroutine object: `f(x)` of an `async def`, or `asyncio.sleep(1)`.
#[derive(Debug)]
pub struct Coroutine {
    /// Its function's qualified name.
    pub name: Rc<str>,
    /// Its call as a task shows it: `fetch(3)`.
    pub call: Rc<str>,
    /// The line it was made at (a lesson's mark when it is never awaited).
    pub line: u32,
    /// Its frame until it runs.
    pub state: RefCell<CoroState>,
}

impl Drop for Coroutine {
    fn drop(&mut self) {
        if !matches!(*self.state.borrow(), CoroState::Taken) {
            NEVER_AWAITED.with(|n| n.borrow_mut().push((self.call.clone(), self.line)));
        }
    }
}

thread_local! {
    /// Coroutines dropped without being awaited since the interpreter last looked, with the
    /// line each was made at.
    pub static NEVER_AWAITED: RefCell<Vec<(Rc<str>, u32)>> = const { RefCell::new(Vec::new()) };
}

/// The kinds of exception, each with its base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExcKind {
    /// `BaseException`.
    BaseException,
    /// `Exception`.
    Exception,
    /// `ArithmeticError`.
    ArithmeticError,
    /// `ZeroDivisionError`.
    ZeroDivisionError,
    /// `OverflowError`.
    OverflowError,
    /// `LookupError`.
    LookupError,
    /// `KeyError`.
    KeyError,
    /// `IndexError`.
    IndexError,
    /// `ValueError`.
    ValueError,
    /// `TypeError`.
    TypeError,
    /// `NameError`.
    NameError,
    /// `UnboundLocalError`.
    UnboundLocalError,
    /// `AttributeError`.
    AttributeError,
    /// `RuntimeError`.
    RuntimeError,
    /// `RecursionError`.
    RecursionError,
    /// `NotImplementedError`.
    NotImplementedError,
    /// `StopIteration`.
    StopIteration,
    /// `AssertionError`.
    AssertionError,
    /// `MemoryError`.
    MemoryError,
    /// `OSError`.
    OSError,
    /// `TimeoutError`.
    TimeoutError,
    /// `ConnectionError`.
    ConnectionError,
    /// `ConnectionResetError`.
    ConnectionResetError,
    /// `ConnectionRefusedError`.
    ConnectionRefusedError,
    /// `ConnectionAbortedError`.
    ConnectionAbortedError,
    /// `BrokenPipeError`.
    BrokenPipeError,
    /// `FileNotFoundError`.
    FileNotFoundError,
    /// `FileExistsError`.
    FileExistsError,
    /// `PermissionError`.
    PermissionError,
    /// `EOFError`.
    EOFError,
    /// `KeyboardInterrupt`.
    KeyboardInterrupt,
    /// `asyncio.CancelledError`.
    CancelledError,
    /// `asyncio.InvalidStateError`.
    InvalidStateError,
    /// `asyncio.QueueEmpty`.
    QueueEmpty,
    /// `asyncio.QueueFull`.
    QueueFull,
    /// `BaseExceptionGroup`.
    BaseExceptionGroup,
    /// `ExceptionGroup`.
    ExceptionGroup,
}

impl ExcKind {
    /// Every kind, for lookups by name.
    pub const ALL: [ExcKind; 37] = [
        ExcKind::BaseException,
        ExcKind::Exception,
        ExcKind::ArithmeticError,
        ExcKind::ZeroDivisionError,
        ExcKind::OverflowError,
        ExcKind::LookupError,
        ExcKind::KeyError,
        ExcKind::IndexError,
        ExcKind::ValueError,
        ExcKind::TypeError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::AttributeError,
        ExcKind::RuntimeError,
        ExcKind::RecursionError,
        ExcKind::NotImplementedError,
        ExcKind::StopIteration,
        ExcKind::AssertionError,
        ExcKind::MemoryError,
        ExcKind::OSError,
        ExcKind::TimeoutError,
        ExcKind::ConnectionError,
        ExcKind::ConnectionResetError,
        ExcKind::ConnectionRefusedError,
        ExcKind::ConnectionAbortedError,
        ExcKind::BrokenPipeError,
        ExcKind::FileNotFoundError,
        ExcKind::FileExistsError,
        ExcKind::PermissionError,
        ExcKind::EOFError,
        ExcKind::KeyboardInterrupt,
        ExcKind::CancelledError,
        ExcKind::InvalidStateError,
        ExcKind::QueueEmpty,
        ExcKind::QueueFull,
        ExcKind::BaseExceptionGroup,
        ExcKind::ExceptionGroup,
    ];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::BaseException => "BaseException",
            ExcKind::Exception => "Exception",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::LookupError => "LookupError",
            ExcKind::KeyError => "KeyError",
            ExcKind::IndexError => "IndexError",
            ExcKind::ValueError => "ValueError",
            ExcKind::TypeError => "TypeError",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::OSError => "OSError",
            ExcKind::TimeoutError => "TimeoutError",
            ExcKind::ConnectionError => "ConnectionError",
            ExcKind::ConnectionResetError => "ConnectionResetError",
            ExcKind::ConnectionRefusedError => "ConnectionRefusedError",
            ExcKind::ConnectionAbortedError => "ConnectionAbortedError",
            ExcKind::BrokenPipeError => "BrokenPipeError",
            ExcKind::FileNotFoundError => "FileNotFoundError",
            ExcKind::FileExistsError => "FileExistsError",
            ExcKind::PermissionError => "PermissionError",
            ExcKind::EOFError => "EOFError",
            ExcKind::KeyboardInterrupt => "KeyboardInterrupt",
            ExcKind::CancelledError => "CancelledError",
            ExcKind::InvalidStateError => "InvalidStateError",
            ExcKind::QueueEmpty => "QueueEmpty",
            ExcKind::QueueFull => "QueueFull",
            ExcKind::BaseExceptionGroup => "BaseExceptionGroup",
            ExcKind::ExceptionGroup => "ExceptionGroup",
        }
    }

    /// The module a traceback names it with (`asyncio.exceptions.CancelledError`).
    pub fn qualified(self) -> String {
        match self {
            ExcKind::CancelledError | ExcKind::InvalidStateError => {
                format!("asyncio.exceptions.{}", self.name())
            }
            ExcKind::QueueEmpty | ExcKind::QueueFull => format!("asyncio.queues.{}", self.name()),
            _ => self.name().to_string(),
        }
    }

    /// Its base class.
    pub fn base(self) -> Option<ExcKind> {
        use ExcKind::*;
        Some(match self {
            BaseException => return None,
            Exception | KeyboardInterrupt | CancelledError | BaseExceptionGroup => BaseException,
            ZeroDivisionError | OverflowError => ArithmeticError,
            KeyError | IndexError => LookupError,
            UnboundLocalError => NameError,
            RecursionError | NotImplementedError => RuntimeError,
            TimeoutError | ConnectionError | FileNotFoundError | FileExistsError
            | PermissionError => OSError,
            ConnectionResetError
            | ConnectionRefusedError
            | ConnectionAbortedError
            | BrokenPipeError => ConnectionError,
            ExceptionGroup => BaseExceptionGroup,
            _ => Exception,
        })
    }

    /// True if it is `other` or derives from it.
    pub fn is_a(self, other: ExcKind) -> bool {
        let mut k = Some(self);
        while let Some(x) = k {
            if x == other || (other == ExcKind::Exception && x == ExcKind::ExceptionGroup) {
                return true;
            }
            k = x.base();
        }
        false
    }
}

/// The builtin types a program can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
    /// `bool`.
    Bool,
    /// `list`.
    List,
    /// `tuple`.
    Tuple,
    /// `dict`.
    Dict,
    /// `set`.
    Set,
    /// `object`.
    Object,
    /// An exception class.
    Exc(ExcKind),
    /// Any other object's class, by its name (`type(None)`, `type(task)`): one a program can
    /// name and compare, not call.
    Other(&'static str),
}

impl Type {
    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Type::Int => "int",
            Type::Float => "float",
            Type::Str => "str",
            Type::Bool => "bool",
            Type::List => "list",
            Type::Tuple => "tuple",
            Type::Dict => "dict",
            Type::Set => "set",
            Type::Object => "object",
            Type::Exc(k) => k.name(),
            Type::Other(name) => name,
        }
    }

    /// Its name as its `repr` gives it, with the module of an asyncio class.
    pub fn qualified(self) -> String {
        String::from(match self {
            Type::Exc(k) => return k.qualified(),
            Type::Other("Task") => "_asyncio.Task",
            Type::Other("Future") => "_asyncio.Future",
            Type::Other("Event") => "asyncio.locks.Event",
            Type::Other("Lock") => "asyncio.locks.Lock",
            Type::Other("Semaphore") => "asyncio.locks.Semaphore",
            Type::Other("BoundedSemaphore") => "asyncio.locks.BoundedSemaphore",
            Type::Other("Queue") => "asyncio.queues.Queue",
            Type::Other("TaskGroup") => "asyncio.taskgroups.TaskGroup",
            Type::Other("Timeout") => "asyncio.timeouts.Timeout",
            Type::Other("_UnixSelectorEventLoop") => "asyncio.unix_events._UnixSelectorEventLoop",
            t => t.name(),
        })
    }
}

/// An exception object.
#[derive(Debug)]
pub struct Exception {
    /// Its class.
    pub kind: ExcKind,
    /// Its arguments.
    pub args: Vec<Obj>,
    /// Where it passed: function and line, innermost last.
    pub traceback: RefCell<Vec<(Rc<str>, u32)>>,
    /// The exception being handled when it was raised.
    pub context: RefCell<Option<Rc<Exception>>>,
    /// `raise ... from cause`.
    pub cause: RefCell<Option<Rc<Exception>>>,
    /// The exceptions of a group.
    pub group: Vec<Rc<Exception>>,
    /// What CPython's traceback adds after the message (`. Did you mean: 'values'?`).
    pub hint: RefCell<Option<Rc<str>>>,
}

impl Exception {
    /// A new exception of `kind` with `args`.
    pub fn new(kind: ExcKind, args: Vec<Obj>) -> Rc<Exception> {
        Rc::new(Exception {
            kind,
            args,
            traceback: RefCell::new(Vec::new()),
            context: RefCell::new(None),
            cause: RefCell::new(None),
            group: Vec::new(),
            hint: RefCell::new(None),
        })
    }

    /// An exception group of `errors` (none empty): `ExceptionGroup` if all of them are
    /// `Exception`s, `BaseExceptionGroup` otherwise; its args are the message and the list, as
    /// CPython's.
    pub fn group(message: Obj, errors: Vec<Rc<Exception>>) -> Rc<Exception> {
        let plain = errors.iter().all(|e| e.kind.is_a(ExcKind::Exception));
        let list = Obj::list(errors.iter().cloned().map(Obj::Exception).collect());
        Rc::new(Exception {
            kind: if plain {
                ExcKind::ExceptionGroup
            } else {
                ExcKind::BaseExceptionGroup
            },
            args: vec![message, list],
            traceback: RefCell::new(Vec::new()),
            context: RefCell::new(None),
            cause: RefCell::new(None),
            group: errors,
            hint: RefCell::new(None),
        })
    }

    /// A new exception with a message.
    pub fn msg(kind: ExcKind, message: impl Into<String>) -> Rc<Exception> {
        let m: String = message.into();
        Exception::new(kind, vec![Obj::Str(Rc::from(m))])
    }
}

/// Which of a dict's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// `dict_keys`.
    Keys,
    /// `dict_values`.
    Values,
    /// `dict_items`: (key, value) pairs.
    Items,
}

impl View {
    /// The view's items now, in the dict's order.
    pub fn items(self, d: &Dict) -> Vec<Obj> {
        d.iter()
            .map(|(k, v)| match self {
                View::Keys => k.clone(),
                View::Values => v.clone(),
                View::Items => Obj::tuple(vec![k.clone(), v.clone()]),
            })
            .collect()
    }

    /// Its type's name.
    pub fn type_name(self) -> &'static str {
        match self {
            View::Keys => "dict_keys",
            View::Values => "dict_values",
            View::Items => "dict_items",
        }
    }
}

/// An iterator's state.
#[derive(Debug)]
pub enum Iter {
    /// Over a list, by index (it sees the list grow).
    List(Rc<Items>, usize),
    /// Over a tuple's items.
    Items(Rc<Fixed>, usize),
    /// Over a set's items (or a dict view's) as they were, which must keep its size meanwhile:
    /// the items, the index, the set or dict, its size, the iterator's type name.
    Sized(Rc<Fixed>, usize, Rc<RefCell<Dict>>, usize, &'static str),
    /// Over a range.
    Range(i64, i64, i64),
    /// Over a str's characters.
    Chars(Rc<str>, usize),
    /// Over a dict's keys (or a set's), by entry index.
    Keys(Rc<RefCell<Dict>>, usize, usize),
    /// A generator expression's frames, run a step at each `next`.
    Generator(GenState),
    /// `map(f, *iterables)`: `f` called as each item is asked for.
    Map(Obj, Rc<[Obj]>),
    /// `filter(f, iterable)` (`f` None: the items that are true).
    Filter(Obj, Obj),
    /// `zip(*iterables, strict=...)`.
    Zip(Rc<[Obj]>, bool),
    /// `enumerate(iterable, start)`: the next count.
    Enumerate(Obj, i64),
}

impl Iter {
    /// Its type's name, as CPython names it where a program can tell.
    pub fn type_name(&self) -> &'static str {
        match self {
            Iter::Generator(_) => "generator",
            Iter::Map(..) => "map",
            Iter::Filter(..) => "filter",
            Iter::Zip(..) => "zip",
            Iter::Enumerate(..) => "enumerate",
            Iter::List(..) => "list_iterator",
            Iter::Items(..) => "tuple_iterator",
            Iter::Sized(.., name) => name,
            Iter::Range(..) => "range_iterator",
            Iter::Chars(s, _) if s.is_ascii() => "str_ascii_iterator",
            Iter::Chars(..) => "str_iterator",
            Iter::Keys(..) => "dict_keyiterator",
        }
    }
}

/// Where a generator expression is.
#[derive(Debug)]
pub enum GenState {
    /// Not yet started, or suspended at a `yield`: its frames.
    Ready(Box<Stack>),
    /// Running now (a `next` of it from inside it is an error).
    Running,
    /// Finished, or ended by an exception.
    Done,
}

/// A key of a dict or set: a hashable value, compared as Python compares them (`1 == 1.0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// `None`.
    None,
    /// ints, bools, and floats that are whole.
    Int(i64),
    /// Other floats, by bits.
    Float(u64),
    /// A str.
    Str(Rc<str>),
    /// A tuple of keys.
    Tuple(Vec<Key>),
    /// An object hashed by identity.
    Id(usize),
}

/// An insertion-ordered table of keys and values (a dict, or a set with `None` values).
#[derive(Debug, Default)]
pub struct Dict {
    entries: Vec<Option<(Obj, Obj)>>,
    index: HashMap<Key, usize>,
    len: usize,
    /// Bumped when keys come or go, to catch changes during iteration.
    pub version: Cell<u64>,
    /// A set laid out at once (see `sets.rs`): the table its first entries sit in, each slot
    /// the index of its entry, and how many entries it covers.
    layout: Option<(Vec<Option<usize>>, usize)>,
    /// Where a set's next `pop()` starts looking, as CPython's `finger`.
    finger: usize,
}

impl Dict {
    /// How many entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `key`.
    pub fn get(&self, key: &Key) -> Option<&Obj> {
        let i = *self.index.get(key)?;
        self.entries.get(i)?.as_ref().map(|(_, v)| v)
    }

    /// Sets `key` (keeping its place if present).
    pub fn insert(&mut self, key: Key, k: Obj, v: Obj) {
        if let Some(&i) = self.index.get(&key) {
            if let Some(Some(e)) = self.entries.get_mut(i) {
                e.1 = v;
                return;
            }
        }
        self.index.insert(key, self.entries.len());
        self.entries.push(Some((k, v)));
        self.len += 1;
        self.version.set(self.version.get() + 1);
    }

    /// Removes `key`, giving its key object and value.
    pub fn remove(&mut self, key: &Key) -> Option<(Obj, Obj)> {
        let i = self.index.remove(key)?;
        let e = self.entries.get_mut(i)?.take();
        self.len -= 1;
        self.version.set(self.version.get() + 1);
        if self.len == 0 {
            self.entries.clear();
            self.layout = None;
        }
        e
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = &(Obj, Obj)> + '_ {
        self.entries.iter().flatten()
    }

    /// The entry at raw position `i` or later: its position and key.
    pub fn next_from(&self, mut i: usize) -> Option<(usize, Obj)> {
        while i < self.entries.len() {
            if let Some((k, _)) = &self.entries[i] {
                return Some((i, k.clone()));
            }
            i += 1;
        }
        None
    }

    /// Empties it.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.layout = None;
        self.index.clear();
        self.len = 0;
        self.version.set(self.version.get() + 1);
    }

    /// Removes and gives the last entry.
    pub fn pop_last(&mut self) -> Option<(Obj, Obj)> {
        while let Some(e) = self.entries.pop() {
            if let Some((k, v)) = e {
                self.len -= 1;
                self.index.retain(|_, i| *i < self.entries.len());
                self.version.set(self.version.get() + 1);
                return Some((k, v));
            }
        }
        None
    }
}

impl Obj {
    /// A str.
    pub fn str(s: &str) -> Obj {
        Obj::Str(Rc::from(s))
    }

    /// A new list.
    pub fn list(items: Vec<Obj>) -> Obj {
        Obj::List(Rc::new(Items(RefCell::new(items))))
    }

    /// A new tuple.
    pub fn tuple(items: Vec<Obj>) -> Obj {
        Obj::Tuple(Rc::new(Fixed(items.into_boxed_slice())))
    }

    /// Its type's name, as messages say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Obj::None => "NoneType",
            Obj::Bool(_) => "bool",
            Obj::Int(_) => "int",
            Obj::Float(_) => "float",
            Obj::Str(_) => "str",
            Obj::List(_) => "list",
            Obj::Tuple(_) => "tuple",
            Obj::Dict(_) => "dict",
            Obj::Set(_) => "set",
            Obj::View(v, _) => v.type_name(),
            Obj::Range(..) => "range",
            Obj::Slice(_) => "slice",
            Obj::Function(_) => "function",
            Obj::Builtin(_) => "builtin_function_or_method",
            Obj::Method(_) => "builtin_function_or_method",
            Obj::Type(_) => "type",
            Obj::Exception(e) => e.kind.name(),
            Obj::Coroutine(_) => "coroutine",
            Obj::Future(f) => {
                if f.task.is_some() {
                    "Task"
                } else {
                    "Future"
                }
            }
            Obj::Iterator(it) => it.try_borrow().map_or("generator", |it| it.type_name()),
            Obj::Module(_) => "module",
            Obj::Native(n) => n.type_name(),
            Obj::Ellipsis => "ellipsis",
        }
    }

    /// Python's truth.
    pub fn truthy(&self) -> bool {
        match self {
            Obj::None => false,
            Obj::Bool(b) => *b,
            Obj::Int(i) => *i != 0,
            Obj::Float(f) => *f != 0.0,
            Obj::Str(s) => !s.is_empty(),
            Obj::List(l) => !l.borrow().is_empty(),
            Obj::Tuple(t) => !t.is_empty(),
            Obj::Dict(d) | Obj::Set(d) | Obj::View(_, d) => !d.borrow().is_empty(),
            Obj::Range(a, b, s) => range_len(*a, *b, *s) > 0,
            _ => true,
        }
    }

    /// The identity of a shared object (for `is`, and hashing by identity).
    pub fn identity(&self) -> Option<usize> {
        Some(match self {
            Obj::List(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Dict(r) | Obj::Set(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Tuple(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Function(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Exception(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Coroutine(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Future(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Iterator(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Native(r) => Rc::as_ptr(r) as *const u8 as usize,
            Obj::Method(r) => Rc::as_ptr(r) as *const u8 as usize,
            _ => return None,
        })
    }

    /// Its key in a dict or set; `None` if unhashable.
    pub fn key(&self) -> Option<Key> {
        Some(match self {
            Obj::None => Key::None,
            Obj::Bool(b) => Key::Int(*b as i64),
            Obj::Int(i) => Key::Int(*i),
            Obj::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    Key::Int(*f as i64)
                } else {
                    Key::Float(f.to_bits())
                }
            }
            Obj::Str(s) => Key::Str(s.clone()),
            Obj::Tuple(items) => Key::Tuple(items.iter().map(Obj::key).collect::<Option<_>>()?),
            Obj::List(_) | Obj::Dict(_) | Obj::Set(_) | Obj::Slice(_) => return None,
            Obj::Range(a, b, s) => Key::Tuple(vec![Key::Int(*a), Key::Int(*b), Key::Int(*s)]),
            Obj::Builtin(name) => Key::Str(Rc::from(format!("<builtin {name}>"))),
            Obj::Type(t) => Key::Str(Rc::from(format!("<type {}>", t.name()))),
            Obj::Module(m) => Key::Str(Rc::from(format!("<module {m}>"))),
            Obj::Ellipsis => Key::Str(Rc::from("<Ellipsis>")),
            other => Key::Id(other.identity().unwrap_or(0)),
        })
    }
}

/// A list's items. Dropped without recursing, however deeply lists nest in lists (a program may
/// build a list in a list a million deep; dropping it by recursion would overflow the stack).
#[derive(Debug, Default)]
pub struct Items(pub RefCell<Vec<Obj>>);

impl std::ops::Deref for Items {
    type Target = RefCell<Vec<Obj>>;
    fn deref(&self) -> &RefCell<Vec<Obj>> {
        &self.0
    }
}

impl Drop for Items {
    fn drop(&mut self) {
        drop_flat(std::mem::take(self.0.get_mut()));
    }
}

/// A tuple's items, dropped as a list's are.
#[derive(Debug)]
pub struct Fixed(pub Box<[Obj]>);

impl std::ops::Deref for Fixed {
    type Target = [Obj];
    fn deref(&self) -> &[Obj] {
        &self.0
    }
}

impl Drop for Fixed {
    fn drop(&mut self) {
        drop_flat(std::mem::take(&mut self.0).into_vec());
    }
}

impl Drop for Dict {
    fn drop(&mut self) {
        let all: Vec<Obj> = std::mem::take(&mut self.entries)
            .into_iter()
            .flatten()
            .flat_map(|(k, v)| [k, v])
            .collect();
        drop_flat(all);
    }
}

/// Drops objects whose containers this was the last holder of one level at a time, with a
/// worklist instead of the stack: a container's items are taken out of it (into the worklist)
/// before it is dropped, so no drop goes deeper than one level. What holds nothing (ints,
/// strs, shared containers) is dropped where it lies, a list of them at once.
fn drop_flat(items: Vec<Obj>) {
    let mut work = vec![items];
    while let Some(mut items) = work.pop() {
        for o in items.iter_mut() {
            if !matches!(o, Obj::List(_) | Obj::Tuple(_) | Obj::Dict(_) | Obj::Set(_)) {
                continue;
            }
            match std::mem::take(o) {
                Obj::List(rc) => {
                    if let Ok(inner) = Rc::try_unwrap(rc) {
                        work.push(std::mem::take(&mut *inner.0.borrow_mut()));
                    }
                }
                Obj::Tuple(rc) => {
                    if let Ok(mut t) = Rc::try_unwrap(rc) {
                        work.push(std::mem::take(&mut t.0).into_vec());
                    }
                }
                Obj::Dict(rc) | Obj::Set(rc) => {
                    if let Ok(cell) = Rc::try_unwrap(rc) {
                        let mut d = cell.into_inner();
                        let entries = std::mem::take(&mut d.entries);
                        work.push(
                            entries
                                .into_iter()
                                .flatten()
                                .flat_map(|(k, v)| [k, v])
                                .collect(),
                        );
                    }
                }
                other => drop(other),
            }
        }
    }
}

/// How many items `range(a, b, s)` has.
pub fn range_len(a: i64, b: i64, s: i64) -> i64 {
    if s > 0 && a < b {
        (b - a - 1) / s + 1
    } else if s < 0 && a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    }
}
