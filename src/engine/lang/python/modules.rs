//! What each module a program may import offers, by name: a name outside these is refused before
//! the run (`asyncio.to_thread`: no threads here), where CPython would have it, rather than failing
//! with an `AttributeError` half-way through.

/// `asyncio`'s names that Interleave runs.
const ASYNCIO: &[&str] = &[
    "run",
    "sleep",
    "create_task",
    "gather",
    "shield",
    "wait_for",
    "wait",
    "as_completed",
    "timeout",
    "current_task",
    "all_tasks",
    "get_running_loop",
    "get_event_loop",
    "ensure_future",
    "iscoroutine",
    "Future",
    "Event",
    "Lock",
    "Semaphore",
    "BoundedSemaphore",
    "Queue",
    "TaskGroup",
    "CancelledError",
    "TimeoutError",
    "InvalidStateError",
    "QueueEmpty",
    "QueueFull",
    "FIRST_COMPLETED",
    "FIRST_EXCEPTION",
    "ALL_COMPLETED",
];

/// `time`'s.
const TIME: &[&str] = &["sleep", "time", "perf_counter", "monotonic"];

/// `random`'s.
const RANDOM: &[&str] = &[
    "seed",
    "random",
    "uniform",
    "randint",
    "randrange",
    "choice",
    "choices",
    "sample",
    "shuffle",
];

/// `typing`'s names, for annotations only (anywhere else they are refused before the run).
const TYPING: &[&str] = &[
    "Any",
    "AsyncGenerator",
    "AsyncIterable",
    "AsyncIterator",
    "Awaitable",
    "Callable",
    "ClassVar",
    "Coroutine",
    "Dict",
    "Final",
    "FrozenSet",
    "Generator",
    "Iterable",
    "Iterator",
    "List",
    "Literal",
    "Mapping",
    "MutableMapping",
    "MutableSequence",
    "Never",
    "NoReturn",
    "Optional",
    "Sequence",
    "Set",
    "Tuple",
    "Type",
    "Union",
];

/// The modules a program may import.
pub const MODULES: [&str; 3] = ["asyncio", "time", "random"];

/// The names Interleave runs of `module` (none for a module it does not offer).
pub fn names(module: &str) -> &'static [&'static str] {
    match module {
        "asyncio" => ASYNCIO,
        "time" => TIME,
        "random" => RANDOM,
        "typing" => TYPING,
        _ => &[],
    }
}

/// Whether Interleave runs `module.name`.
pub fn offers(module: &str, name: &str) -> bool {
    names(module).contains(&name)
}

/// Methods of asyncio's objects that run a callback on the loop (`fut.add_done_callback(f)`,
/// `loop.call_later(1, f)`), or run a loop by hand: refused before the run wherever they are
/// named, since no other object a program here can make has an attribute of that name.
const CALLBACK_METHODS: &[&str] = &[
    "add_done_callback",
    "remove_done_callback",
    "call_soon",
    "call_later",
    "call_at",
    "call_soon_threadsafe",
    "run_in_executor",
    "run_until_complete",
    "run_forever",
];

/// The sentence refusing `obj.name`, if `name` is one of [`CALLBACK_METHODS`].
pub fn refused_method(name: &str) -> Option<String> {
    CALLBACK_METHODS
        .contains(&name)
        .then(|| format!("callbacks on the loop and running it by hand ({name}) are"))
}
