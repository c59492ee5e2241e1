//! asyncio's functions as the module offers them, `async with` of its objects, and the
//! timeout and task group's entry and exit.

use std::cell::RefCell;
use std::rc::Rc;

use super::aio::{self, Callback, FutureObj, NStep, NativeCoro, NativeKind, NativeObj};
use super::object::{ExcKind, Exception, Obj, Type};
use super::ops::{self, str_of, type_error, value_error, Exc, Res};
use super::Vm;

/// The builtin functions by name.
use super::builtins::{arg, int_arg, kw, number};
use super::methods::no_attr;

impl Vm {
    pub(super) fn call_asyncio(
        &self,
        name: &str,
        args: Vec<Obj>,
        kwargs: Vec<(Rc<str>, Obj)>,
    ) -> Res {
        super::calls::check_asyncio_call(name, &args, &kwargs)?;
        let a0 = arg(&args, 0);
        match name {
            "sleep" => {
                let secs = number(&kw(&kwargs, "delay").cloned().unwrap_or(a0), "sleep")?;
                let result = args
                    .get(1)
                    .cloned()
                    .or_else(|| kw(&kwargs, "result").cloned())
                    .unwrap_or_default();
                Ok(Obj::Coroutine(self.native_coro(NativeCoro::new(
                    NativeKind::Sleep(secs, result),
                ))))
            }
            "create_task" | "ensure_future" => {
                let name = kw(&kwargs, "name").map(|n| Rc::from(str_of(n)));
                if name.is_some() || !matches!(a0, Obj::Future(_)) {
                    if self.current_task().is_none() {
                        return Err(Exception::msg(
                            ExcKind::RuntimeError,
                            "no running event loop",
                        ));
                    }
                    return Ok(Obj::Future(self.create_task(a0, name)?));
                }
                Ok(a0)
            }
            "shield" => {
                let inner = self.ensure_future(a0)?;
                if inner.is_done() {
                    return Ok(Obj::Future(inner));
                }
                let outer = FutureObj::new();
                self.add_done_callback(&inner, Callback::ShieldInner(outer.clone()));
                self.add_done_callback(&outer, Callback::ShieldOuter(inner));
                Ok(Obj::Future(outer))
            }
            "gather" => {
                let rx = kw(&kwargs, "return_exceptions").is_some_and(Obj::truthy);
                Ok(Obj::Future(self.gather(args, rx)?))
            }
            "wait_for" => {
                let t = args
                    .get(1)
                    .cloned()
                    .or_else(|| kw(&kwargs, "timeout").cloned())
                    .unwrap_or_default();
                let t = match t {
                    Obj::None => None,
                    x => Some(number(&x, "wait_for")?),
                };
                Ok(Obj::Coroutine(self.native_coro(NativeCoro::new(
                    NativeKind::WaitFor(a0, t, None),
                ))))
            }
            "timeout" => {
                let when = match a0 {
                    Obj::None => None,
                    x => Some(self.loop_time() + number(&x, "timeout")?),
                };
                Ok(Obj::Native(Rc::new(NativeObj::Timeout(RefCell::new(
                    aio::TimeoutState {
                        when,
                        state: "created",
                        ..aio::TimeoutState::default()
                    },
                )))))
            }
            "wait" => {
                if matches!(a0, Obj::Future(_) | Obj::Coroutine(_)) {
                    return Err(type_error(format!(
                        "expect a list of futures, not {}",
                        a0.type_name()
                    )));
                }
                let items = self.items(&a0)?;
                if items.is_empty() {
                    return Err(value_error("Set of Tasks/Futures is empty."));
                }
                let when = match kw(&kwargs, "return_when") {
                    None => Rc::from("ALL_COMPLETED"),
                    Some(Obj::Str(s))
                        if matches!(
                            &**s,
                            "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION"
                        ) =>
                    {
                        s.clone()
                    }
                    Some(other) => {
                        return Err(value_error(format!(
                            "Invalid return_when value: {}",
                            ops::str_of(other)
                        )))
                    }
                };
                let timeout = match kw(&kwargs, "timeout") {
                    None | Some(Obj::None) => None,
                    Some(x) => Some(number(x, "wait")?),
                };
                let mut fs: Vec<Rc<FutureObj>> = Vec::new();
                for i in items {
                    match i {
                        Obj::Future(f) => {
                            if !fs.iter().any(|g| Rc::ptr_eq(g, &f)) {
                                fs.push(f);
                            }
                        }
                        Obj::Coroutine(_) => {
                            return Err(type_error(
                                "Passing coroutines is forbidden, use tasks explicitly.",
                            ));
                        }
                        other => {
                            return Err(type_error(format!(
                                "expect a list of futures, not {}",
                                other.type_name()
                            )))
                        }
                    }
                }
                Ok(Obj::Coroutine(self.native_coro(NativeCoro::new(
                    NativeKind::Wait(fs, timeout, when, None),
                ))))
            }
            "as_completed" => {
                let items = self.items(&a0)?;
                let mut todo: Vec<Rc<FutureObj>> = Vec::new();
                for i in items {
                    let f = self.ensure_future(i)?;
                    if !todo.iter().any(|g| Rc::ptr_eq(g, &f)) {
                        todo.push(f);
                    }
                }
                let queue = Rc::new(NativeObj::Queue(RefCell::new(aio::QueueState::default())));
                let state = Rc::new(aio::AsCompletedState {
                    todo: RefCell::new(todo.clone()),
                    done: queue,
                    timer: std::cell::Cell::new(None),
                });
                for f in &todo {
                    self.add_done_callback(f, Callback::AsCompleted(state.clone()));
                }
                if let Some(t) = kw(&kwargs, "timeout").filter(|t| !matches!(t, Obj::None)) {
                    let secs = number(t, "as_completed")?;
                    let s = state.clone();
                    state.timer.set(Some(self.call_later(secs, move |vm| {
                        let left: Vec<Rc<FutureObj>> = std::mem::take(&mut *s.todo.borrow_mut());
                        for f in left {
                            f.callbacks.borrow_mut().retain(
                                |c| !matches!(c, Callback::AsCompleted(x) if Rc::ptr_eq(x, &s)),
                            );
                            let _ = aio::queue_put_nowait(vm, &s.done, Obj::None);
                        }
                    })));
                }
                let coros: Vec<Obj> = (0..todo.len())
                    .map(|_| {
                        Obj::Coroutine(self.native_coro(NativeCoro::new(
                            NativeKind::AsCompletedOne(state.clone()),
                        )))
                    })
                    .collect();
                self.iter(&Obj::list(coros))
            }
            "current_task" => match self.current_task() {
                Some(t) => Ok(Obj::Future(t)),
                None if self.phase.get() == super::Phase::Script => Err(Exception::msg(
                    ExcKind::RuntimeError,
                    "no running event loop",
                )),
                None => Ok(Obj::None),
            },
            "all_tasks" => Ok(self.set_of(
                self.tasks
                    .borrow()
                    .iter()
                    .filter(|t| !t.is_done())
                    .cloned()
                    .map(Obj::Future)
                    .collect::<Vec<_>>()
                    .into_iter(),
            )),
            "get_running_loop" | "get_event_loop" => {
                if self.current_task().is_none() && name == "get_running_loop" {
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        "no running event loop",
                    ));
                }
                Ok(Obj::Native(Rc::new(NativeObj::Loop)))
            }
            "iscoroutine" => Ok(Obj::Bool(matches!(a0, Obj::Coroutine(_)))),
            "Future" => Ok(Obj::Future(FutureObj::new())),
            "Event" => Ok(Obj::Native(Rc::new(NativeObj::Event(
                Default::default(),
                Default::default(),
            )))),
            "Lock" => Ok(Obj::Native(Rc::new(NativeObj::Lock(
                Default::default(),
                Default::default(),
            )))),
            "Semaphore" | "BoundedSemaphore" => {
                let v = match args.first().or_else(|| kw(&kwargs, "value")) {
                    Some(v) => int_arg(v)?,
                    None => 1,
                };
                if v < 0 {
                    return Err(value_error("Semaphore initial value must be >= 0"));
                }
                Ok(Obj::Native(Rc::new(NativeObj::Semaphore(
                    std::cell::Cell::new(v),
                    Default::default(),
                    (name == "BoundedSemaphore").then_some(v),
                ))))
            }
            "Queue" => {
                let maxsize = match args.first().or_else(|| kw(&kwargs, "maxsize")) {
                    Some(v) => int_arg(v)?,
                    None => 0,
                };
                let finished = Rc::new(NativeObj::Event(
                    std::cell::Cell::new(true),
                    Default::default(),
                ));
                Ok(Obj::Native(Rc::new(NativeObj::Queue(RefCell::new(
                    aio::QueueState {
                        maxsize,
                        finished: Some(finished),
                        ..aio::QueueState::default()
                    },
                )))))
            }
            "TaskGroup" => Ok(Obj::Native(Rc::new(NativeObj::TaskGroup(RefCell::new(
                aio::GroupState::default(),
            ))))),
            _ => Err(no_attr(&Obj::Module("asyncio"), &Rc::from(name))),
        }
    }

    /// `with cm` / `async with cm`: the exit callable and what entering gives (a coroutine to
    /// await, for `async with`).
    pub(super) fn with_enter(&self, cm: &Obj, is_async: bool) -> Res<(Obj, Obj)> {
        let Obj::Native(n) = cm else {
            let what = if is_async {
                "asynchronous context manager protocol"
            } else {
                "context manager protocol"
            };
            return Err(type_error(format!(
                "'{}' object does not support the {what}",
                cm.type_name()
            )));
        };
        if !is_async {
            return Err(type_error(format!(
                "'{}' object does not support the context manager protocol",
                n.type_name()
            )));
        }
        let exit = Obj::Method(Rc::new((cm.clone(), Rc::from("__aexit__"))));
        let enter = match &**n {
            NativeObj::Lock(..) => NativeKind::LockAcquire(n.clone()),
            NativeObj::Semaphore(..) => NativeKind::SemAcquire(n.clone()),
            NativeObj::Timeout(_) => NativeKind::TimeoutEnter(n.clone()),
            NativeObj::TaskGroup(g) => {
                let mut g = g.borrow_mut();
                if g.entered {
                    return Err(Exception::msg(
                        ExcKind::RuntimeError,
                        "TaskGroup has already been entered",
                    ));
                }
                g.entered = true;
                g.parent = self.current_task();
                NativeKind::Ready(Ok(cm.clone()))
            }
            _ => {
                return Err(type_error(format!(
                    "'{}' object does not support the asynchronous context manager protocol",
                    n.type_name()
                )))
            }
        };
        let mut coro = NativeCoro::new(enter);
        // Lock and Semaphore's `__aenter__` give None, not acquire's True.
        coro.quiet = matches!(&**n, NativeObj::Lock(..) | NativeObj::Semaphore(..));
        Ok((exit, Obj::Coroutine(self.native_coro(coro))))
    }

    /// Calls an exit: `__aexit__(None, None, None)` or with the exception.
    pub(super) fn with_exit(&self, exit: &Obj, e: Option<Exc>) -> Res {
        let Obj::Method(m) = exit else {
            return Ok(Obj::None);
        };
        let Obj::Native(n) = &m.0 else {
            return Ok(Obj::None);
        };
        let kind = match &**n {
            NativeObj::Lock(locked, waiters) => {
                if !locked.get() {
                    NativeKind::Ready(Err(Exception::msg(
                        ExcKind::RuntimeError,
                        "Lock is not acquired.",
                    )))
                } else {
                    locked.set(false);
                    aio::lock_wake_first(self, waiters);
                    NativeKind::Ready(Ok(Obj::None))
                }
            }
            NativeObj::Semaphore(v, w, bound) => {
                NativeKind::Ready(aio::sem_release(self, v, w, *bound).map(|()| Obj::None))
            }
            NativeObj::Timeout(_) => NativeKind::TimeoutExit(n.clone(), e),
            NativeObj::TaskGroup(_) => NativeKind::GroupExit(n.clone(), e, None),
            _ => NativeKind::Ready(Ok(Obj::None)),
        };
        Ok(Obj::Coroutine(self.native_coro(NativeCoro::new(kind))))
    }

    // --- asyncio.timeout ----------------------------------------------------------------

    pub(super) fn timeout_reschedule(&self, t: &Rc<NativeObj>, when: Option<f64>) {
        let NativeObj::Timeout(st) = &**t else { return };
        let old = {
            let mut s = st.borrow_mut();
            s.when = when;
            s.timer.take()
        };
        if let Some(h) = old {
            self.cancel_timer(h);
        }
        if let Some(when) = when {
            let t2 = t.clone();
            let delay = (when - self.loop_time()).max(0.0);
            let timer = self.call_later(delay, move |vm| vm.timeout_fire(&t2));
            st.borrow_mut().timer = Some(timer);
        }
    }

    pub(super) fn timeout_fire(&self, t: &Rc<NativeObj>) {
        let NativeObj::Timeout(st) = &**t else { return };
        let task = st.borrow().task.clone();
        if let Some(task) = task {
            self.cancel_future(&task);
        }
        let mut s = st.borrow_mut();
        s.state = "expiring";
        s.timer = None;
    }

    /// `Timeout.__aenter__`.
    pub(super) fn timeout_enter(&self, t: &Rc<NativeObj>) -> Res<()> {
        let NativeObj::Timeout(st) = &**t else {
            return Ok(());
        };
        if st.borrow().state != "created" {
            return Err(Exception::msg(
                ExcKind::RuntimeError,
                "Timeout has already been entered",
            ));
        }
        let Some(task) = self.current_task() else {
            return Err(Exception::msg(
                ExcKind::RuntimeError,
                "Timeout should be used inside a task",
            ));
        };
        let when = {
            let mut s = st.borrow_mut();
            s.state = "entered";
            s.cancelling = task
                .task
                .as_ref()
                .map(|tp| tp.num_cancels.get())
                .unwrap_or(0);
            s.task = Some(task);
            s.when
        };
        self.timeout_reschedule(t, when);
        Ok(())
    }

    /// `Timeout.__aexit__`.
    pub(super) fn timeout_exit(&self, t: &Rc<NativeObj>, exc: Option<Exc>) -> Res {
        let NativeObj::Timeout(st) = &**t else {
            return Ok(Obj::None);
        };
        let timer = st.borrow_mut().timer.take();
        if let Some(h) = timer {
            self.cancel_timer(h);
        }
        let state = st.borrow().state;
        if state == "expiring" {
            st.borrow_mut().state = "expired";
            let (task, cancelling) = {
                let s = st.borrow();
                (s.task.clone(), s.cancelling)
            };
            let left = task
                .as_ref()
                .and_then(|t| t.task.as_ref())
                .map(|tp| {
                    let n = tp.num_cancels.get().saturating_sub(1);
                    tp.num_cancels.set(n);
                    n
                })
                .unwrap_or(0);
            if let Some(e) = exc {
                if left <= cancelling && e.kind == ExcKind::CancelledError {
                    let t = Exception::new(ExcKind::TimeoutError, vec![]);
                    *t.cause.borrow_mut() = Some(e);
                    return Err(t);
                }
            }
        } else if state == "entered" {
            st.borrow_mut().state = "exited";
        }
        Ok(Obj::None)
    }

    // --- TaskGroup ----------------------------------------------------------------------

    /// `TaskGroup._on_task_done`.
    pub(super) fn group_task_done(&self, tg: &Rc<NativeObj>, task: &Rc<FutureObj>) {
        let NativeObj::TaskGroup(g) = &**tg else {
            return;
        };
        let on_completed = {
            let mut g = g.borrow_mut();
            g.tasks.retain(|t| !Rc::ptr_eq(t, task));
            if g.tasks.is_empty() {
                g.on_completed.clone()
            } else {
                None
            }
        };
        if let Some(f) = on_completed {
            if !f.is_done() {
                self.set_result(&f, Obj::Bool(true));
            }
        }
        if task.is_cancelled() {
            return;
        }
        let Some(e) = task.exception.borrow().clone() else {
            return;
        };
        let parent = {
            let mut g = g.borrow_mut();
            g.errors.push(e.clone());
            if !e.kind.is_a(ExcKind::Exception) && g.base_error.is_none() {
                g.base_error = Some(e);
            }
            if g.aborting || g.parent_cancel_requested {
                None
            } else {
                g.parent_cancel_requested = true;
                g.parent.clone()
            }
        };
        if let Some(p) = parent {
            if p.is_done() {
                return;
            }
            self.group_abort(tg);
            self.cancel_future(&p);
        }
    }

    pub(super) fn group_abort(&self, tg: &Rc<NativeObj>) {
        let NativeObj::TaskGroup(g) = &**tg else {
            return;
        };
        let tasks = {
            let mut g = g.borrow_mut();
            g.aborting = true;
            g.tasks.clone()
        };
        for t in tasks {
            if !t.is_done() {
                self.cancel_future(&t);
            }
        }
    }

    /// `TaskGroup.__aexit__`, step by step: `at` 0 starts; later ones come back from waiting.
    pub(super) fn group_exit(
        &self,
        tg: &Rc<NativeObj>,
        exc: &mut Option<Exc>,
        propagate: &mut Option<Exc>,
        at: u8,
        thrown: Option<Exc>,
    ) -> NStep {
        let NativeObj::TaskGroup(g) = &**tg else {
            return NStep::Return(Obj::None);
        };
        if at == 0 {
            g.borrow_mut().exiting = true;
            if let Some(e) = exc.clone() {
                let mut gm = g.borrow_mut();
                if !e.kind.is_a(ExcKind::Exception)
                    && e.kind != ExcKind::CancelledError
                    && gm.base_error.is_none()
                {
                    gm.base_error = Some(e.clone());
                }
            }
            *propagate = exc.clone().filter(|e| e.kind == ExcKind::CancelledError);
            let (requested, parent) = {
                let gm = g.borrow();
                (gm.parent_cancel_requested, gm.parent.clone())
            };
            if requested {
                if let Some(tp) = parent.as_ref().and_then(|p| p.task.as_ref()) {
                    let n = tp.num_cancels.get().saturating_sub(1);
                    tp.num_cancels.set(n);
                    if n == 0 {
                        *propagate = None;
                    }
                }
            }
            if exc.is_some() && !g.borrow().aborting {
                self.group_abort(tg);
            }
        } else if let Some(e) = thrown {
            if e.kind == ExcKind::CancelledError && !g.borrow().aborting {
                *propagate = Some(e);
                self.group_abort(tg);
            }
        }
        if at > 0 {
            g.borrow_mut().on_completed = None;
        }
        if !g.borrow().tasks.is_empty() {
            let f = FutureObj::new();
            g.borrow_mut().on_completed = Some(f.clone());
            return NStep::Await(Obj::Future(f));
        }
        let (base, errors) = {
            let mut gm = g.borrow_mut();
            (gm.base_error.clone(), std::mem::take(&mut gm.errors))
        };
        if let Some(b) = base {
            return NStep::Raise(b);
        }
        if let Some(p) = propagate.clone() {
            if errors.is_empty() {
                return NStep::Raise(p);
            }
        }
        let mut errors = errors;
        if let Some(e) = exc.clone() {
            if e.kind != ExcKind::CancelledError {
                errors.push(e);
            }
        }
        if !errors.is_empty() {
            let message = Obj::str("unhandled errors in a TaskGroup");
            return NStep::Raise(Exception::group(message, errors));
        }
        NStep::Return(Obj::None)
    }
}

impl Vm {
    /// `ExceptionGroup(message, errors)`, checked as CPython checks it.
    pub(super) fn exception_group(&self, kind: ExcKind, args: Vec<Obj>) -> Res<Rc<Exception>> {
        let name = kind.name();
        if args.len() != 2 {
            return Err(type_error(format!(
                "{name} expected 2 arguments, got {}",
                args.len()
            )));
        }
        if !matches!(args[0], Obj::Str(_)) {
            return Err(type_error(format!(
                "BaseExceptionGroup.__new__() argument 1 must be str, not {}",
                args[0].type_name()
            )));
        }
        let items = match &args[1] {
            Obj::List(_) | Obj::Tuple(_) => self.items(&args[1])?,
            _ => {
                return Err(type_error(
                    "second argument (exceptions) must be a sequence",
                ))
            }
        };
        if items.is_empty() {
            return Err(value_error(
                "second argument (exceptions) must be a non-empty sequence",
            ));
        }
        let mut errors = Vec::with_capacity(items.len());
        for (i, x) in items.into_iter().enumerate() {
            match x {
                Obj::Exception(e) => errors.push(e),
                _ => {
                    return Err(value_error(format!(
                        "Item {i} of second argument (exceptions) is not an exception"
                    )))
                }
            }
        }
        let group = Exception::group(args[0].clone(), errors);
        if kind == ExcKind::ExceptionGroup && group.kind != kind {
            return Err(type_error(
                "Cannot nest BaseExceptions in an ExceptionGroup",
            ));
        }
        Ok(group)
    }
}

/// `module.name`.
pub(super) fn module_attr(m: &str, name: &str) -> Option<Obj> {
    match m {
        "asyncio" => Some(match name {
            "run" => Obj::Builtin("asyncio.run"),
            "sleep" => Obj::Builtin("asyncio.sleep"),
            "create_task" => Obj::Builtin("asyncio.create_task"),
            "gather" => Obj::Builtin("asyncio.gather"),
            "shield" => Obj::Builtin("asyncio.shield"),
            "wait_for" => Obj::Builtin("asyncio.wait_for"),
            "wait" => Obj::Builtin("asyncio.wait"),
            "as_completed" => Obj::Builtin("asyncio.as_completed"),
            "timeout" => Obj::Builtin("asyncio.timeout"),
            "current_task" => Obj::Builtin("asyncio.current_task"),
            "all_tasks" => Obj::Builtin("asyncio.all_tasks"),
            "get_running_loop" => Obj::Builtin("asyncio.get_running_loop"),
            "get_event_loop" => Obj::Builtin("asyncio.get_event_loop"),
            "ensure_future" => Obj::Builtin("asyncio.ensure_future"),
            "iscoroutine" => Obj::Builtin("asyncio.iscoroutine"),
            "Future" => Obj::Builtin("asyncio.Future"),
            "Event" => Obj::Builtin("asyncio.Event"),
            "Lock" => Obj::Builtin("asyncio.Lock"),
            "Semaphore" => Obj::Builtin("asyncio.Semaphore"),
            "BoundedSemaphore" => Obj::Builtin("asyncio.BoundedSemaphore"),
            "Queue" => Obj::Builtin("asyncio.Queue"),
            "TaskGroup" => Obj::Builtin("asyncio.TaskGroup"),
            "CancelledError" => Obj::Type(Type::Exc(ExcKind::CancelledError)),
            "TimeoutError" => Obj::Type(Type::Exc(ExcKind::TimeoutError)),
            "InvalidStateError" => Obj::Type(Type::Exc(ExcKind::InvalidStateError)),
            "QueueEmpty" => Obj::Type(Type::Exc(ExcKind::QueueEmpty)),
            "QueueFull" => Obj::Type(Type::Exc(ExcKind::QueueFull)),
            "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED" => Obj::str(name),
            _ => return None,
        }),
        "time" => matches!(name, "sleep" | "time" | "perf_counter" | "monotonic").then(|| {
            Obj::Builtin(match name {
                "sleep" => "time.sleep",
                "time" => "time.time",
                "perf_counter" => "time.perf_counter",
                _ => "time.monotonic",
            })
        }),
        "random" => Some(Obj::Builtin(match name {
            "seed" => "random.seed",
            "random" => "random.random",
            "uniform" => "random.uniform",
            "randint" => "random.randint",
            "randrange" => "random.randrange",
            "choice" => "random.choice",
            "choices" => "random.choices",
            "sample" => "random.sample",
            "shuffle" => "random.shuffle",
            _ => return None,
        })),
        _ => None,
    }
}
