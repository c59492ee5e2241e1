"""CPython's asyncio on a virtual clock: runs a program as it is and reports what it did.

The reference Interleave's ideal runs are compared with. Nothing in asyncio's own scheduling is
replaced: the loop is CPython's `SelectorEventLoop`, with its ready queue, its timer heap and its
`_run_once`; only the clock is virtual, as in aiotools' VirtualClock and the looptime plugin:

- `loop.time()` reads a clock kept in whole nanoseconds, from 0 when the program starts;
- when the loop would block waiting for its next timer, the selector moves the clock to it;
- `time.sleep(s)` moves the clock by `s` (blocking work takes time, nothing else does);
- `time.perf_counter()`, `time.monotonic()` and `time.time()` read the clock; a busy loop
  `while time.perf_counter() < end:` moves it to `end` (its body runs once).

Two things are fixed where CPython leaves them to chance, and they are the only differences
with a plain run that Interleave accepts: deadlines are whole nanoseconds (so float rounding of
`now + delay` cannot split timers that are due together on a perfect clock), and timers due at
exactly the same nanosecond fire in the order they were started (asyncio leaves exact ties to
its heap; on a real clock they come in start order).

What is recorded: every print (time, task, text), every task (in creation order: its coroutine's
name, its parent, when it was created, first stepped and ended, how many steps, how it ended),
never-awaited coroutines, the elapsed time, and an uncaught exception's last traceback line.
Tasks and their steps are seen through `loop.call_soon`, which asyncio calls for every step of
every task (C and Python tasks alike); nothing is added to the ready queue.

A program that awaits at its top level runs as a notebook runs a cell: compiled with
`PyCF_ALLOW_TOP_LEVEL_AWAIT`, its module code is a task on a loop that keeps running after it
until nothing is left to run (its background tasks go on), as Interleave runs it.

Usage: a JSON list of {"id", "source"} on stdin; one JSON object per program on stdout.
"""

import ast
import asyncio
import builtins
import functools
import heapq
import inspect
import io
import itertools
import json
import linecache
import os
import selectors
import sys
import time
import traceback
import warnings
import weakref

NS = 1_000_000_000
ASYNCIO_DIR = os.path.dirname(asyncio.__file__)


def to_ns(secs):
    """Seconds to whole nanoseconds as Interleave rounds them: half away from zero; 0 for
    anything not positive."""
    if not secs > 0:
        return 0
    x = secs * 1e9
    n = int(x)
    return n + 1 if x - n >= 0.5 else n


class Hang(Exception):
    """The program waits forever: nothing is ready and no timer is pending."""


class Clock:
    def __init__(self):
        self.ns = 0

    def seconds(self):
        return self.ns / NS


class VirtualNow(float):
    """A reading of the virtual clock. Compared as the condition of a `while` with a later time,
    it moves the clock there: the loop is a busy wait until then."""

    clock = None

    def __lt__(self, other):
        result = float.__lt__(self, other)
        if result is True and _in_while(sys._getframe(1)):
            self._move_to(float(other), strictly=False)
        return result

    def __le__(self, other):
        result = float.__le__(self, other)
        if result is True and _in_while(sys._getframe(1)):
            self._move_to(float(other), strictly=True)
        return result

    def _move_to(self, end, strictly):
        """Moves the clock to the first nanosecond that reads `end` or later (strictly later)."""
        n = max(self.clock.ns, to_ns(end))
        while n / NS < end or (strictly and n / NS == end):
            n += 1
        self.clock.ns = n


def _in_while(frame):
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    return line.lstrip().startswith("while ")


class SeqTimerHandle(asyncio.TimerHandle):
    """A timer whose deadline is whole nanoseconds and whose ties go by start order."""

    __slots__ = ("_when_ns", "_seq")

    def __init__(self, when_ns, seq, callback, args, loop, context):
        super().__init__(when_ns / NS, callback, args, loop, context)
        self._when_ns = when_ns
        self._seq = seq

    def _key(self):
        return (self._when_ns, self._seq)

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    __hash__ = asyncio.TimerHandle.__hash__


class VirtualSelector(selectors.DefaultSelector):
    def __init__(self, loop_ref):
        super().__init__()
        self._loop_ref = loop_ref

    def select(self, timeout=None):
        loop = self._loop_ref()
        if timeout is None and loop._stop_when_idle:
            # A notebook's loop: with nothing left to run, the program is over.
            loop.stop()
            return []
        if timeout is None:
            raise Hang("the program waits forever: nothing is ready and no timer is pending")
        if timeout > 0 and loop._scheduled:
            loop._clock.ns = max(loop._clock.ns, loop._scheduled[0]._when_ns)
        return super().select(0)


class Recorder:
    """What a run did, seen from the loop."""

    def __init__(self, clock):
        self.clock = clock
        self.tasks = []  # records, in creation order
        self.index = {}  # task -> record
        self.lines = []
        self.warnings = []

    def now(self):
        return self.clock.seconds()

    def task_of(self, task):
        record = self.index.get(task)
        if record is None:
            coro = task.get_coro()
            code = getattr(coro, "cr_code", None)
            outside = not _running() or asyncio.current_task() is None
            if outside and code is not None and code.co_filename.startswith(ASYNCIO_DIR):
                # asyncio.run's own clean-up (shutdown_asyncgens, ...): not the program's.
                record = {"internal": True, "started": 0, "ended": 0, "polls": 0}
                self.index[task] = record
                return record
            parent = asyncio.current_task() if _running() else None
            record = {
                "id": len(self.tasks),
                # The function's own name, as Interleave names a task's lane (`ticker()` for
                # a coroutine defined inside main, whose qualified name is
                # main.<locals>.ticker).
                "name": getattr(coro, "__name__", type(coro).__name__),
                "parent": self.index[parent]["id"] if parent in self.index else None,
                "created": self.now(),
                "started": None,
                "ended": None,
                "polls": 0,
                "outcome": "live",
            }
            self.tasks.append(record)
            self.index[task] = record
        return record

    def step(self, task, callback, *args):
        record = self.task_of(task)
        if record.get("internal"):
            return callback(*args)
        if record["started"] is None:
            record["started"] = self.now()
        record["polls"] += 1
        try:
            return callback(*args)
        finally:
            if task.done() and record["ended"] is None:
                record["ended"] = self.now()
                if task.cancelled():
                    record["outcome"] = "cancelled"
                elif task.exception() is not None:
                    exc = task.exception()
                    record["outcome"] = "failed"
                    record["error"] = f"{type(exc).__name__}: {exc}"
                else:
                    record["outcome"] = "finished"
                    record["result"] = repr(task.result())

    def print(self, *args, **kwargs):
        # Takes what builtins.print takes, and refuses the rest in its words.
        for k in kwargs:
            if k not in ("sep", "end", "file", "flush"):
                raise TypeError(f"'{k}' is an invalid keyword argument for print()")
        file = kwargs.get("file")
        if file is not None and file is not sys.stdout:
            return builtins.print(*args, **kwargs)
        sep, end = kwargs.get("sep"), kwargs.get("end")
        for name, v in (("sep", sep), ("end", end)):
            if v is not None and not isinstance(v, str):
                raise TypeError(f"{name} must be None or a string, not {type(v).__name__}")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        task = asyncio.current_task() if _running() else None
        record = self.task_of(task) if task is not None else None
        text = sep.join(str(a) for a in args) + end
        line = {"time": self.now(), "task": record["id"] if record else None}
        if text.endswith("\n"):
            text = text[:-1]
        else:
            # It leaves its line open: the next print goes on with it.
            line["open"] = True
        line["text"] = text
        self.lines.append(line)


def _running():
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self, clock, recorder):
        self._clock = clock
        self._recorder = recorder
        self._seq = itertools.count()
        self._stop_when_idle = False
        super().__init__(VirtualSelector(weakref.ref(self)))
        # Due means due by now, to the nanosecond: well below a nanosecond, well above the
        # float spacing of the times a run reaches.
        self._clock_resolution = 5e-10

    def time(self):
        return self._clock.ns / NS

    def _call_at_ns(self, when_ns, callback, args, context):
        self._check_closed()
        timer = SeqTimerHandle(when_ns, next(self._seq), callback, args, self, context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def call_later(self, delay, callback, *args, context=None):
        if delay is None:
            raise TypeError("delay must not be None")
        return self._call_at_ns(self._clock.ns + to_ns(delay), callback, args, context)

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        return self._call_at_ns(
            self._clock.ns + to_ns(when - self.time()), callback, args, context
        )

    def call_soon(self, callback, *args, context=None):
        task = getattr(callback, "__self__", None)
        if isinstance(task, asyncio.Task):
            self._recorder.task_of(task)
            callback = functools.partial(self._recorder.step, task, callback)
        return super().call_soon(callback, *args, context=context)


class Policy(asyncio.DefaultEventLoopPolicy):
    def __init__(self, clock, recorder):
        super().__init__()
        self._make = lambda: VirtualClockLoop(clock, recorder)

    def new_event_loop(self):
        return self._make()


def run_cell(code, scope):
    """Runs a module that awaits at its top level as a notebook runs a cell: as a task on a loop
    that keeps running after it, until nothing is left to run; an exception out of the cell is
    the program's."""
    loop = asyncio.new_event_loop()
    loop._stop_when_idle = True
    asyncio.set_event_loop(loop)
    try:
        cell = loop.create_task(eval(code, scope))
        loop.run_forever()
        if cell.done() and not cell.cancelled() and cell.exception() is not None:
            raise cell.exception()
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def run(source, name="<listing>"):
    """Runs `source` (a whole program) on a fresh virtual clock; returns what it did."""
    clock = Clock()
    recorder = Recorder(clock)
    VirtualNow.clock = clock
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    saved = {f: getattr(time, f) for f in ("sleep", "perf_counter", "monotonic", "time")}
    saved_policy = asyncio.get_event_loop_policy()
    time.sleep = lambda secs: setattr(clock, "ns", clock.ns + to_ns(secs))
    for f in ("perf_counter", "monotonic", "time"):
        setattr(time, f, lambda: VirtualNow(clock.seconds()))
    asyncio.set_event_loop_policy(Policy(clock, recorder))
    error = None
    stderr = io.StringIO()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            real_stderr, sys.stderr = sys.stderr, stderr
            try:
                code = compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                scope = {"__name__": "__main__", "print": recorder.print}
                if code.co_flags & inspect.CO_COROUTINE:
                    run_cell(code, scope)
                else:
                    exec(code, scope)
            except Hang as e:
                error = f"Hang: {e}"
            except BaseException as e:  # the program's own uncaught exception
                # With its traceback, as CPython prints it: a NameError's hint included
                # (". Did you mean: 'values'?").
                te = traceback.TracebackException.from_exception(e)
                error = list(te.format_exception_only())[-1].strip()
            finally:
                sys.stderr = real_stderr
            import gc

            gc.collect()
        for w in caught:
            message = str(w.message)
            if issubclass(w.category, RuntimeWarning) and "was never awaited" in message:
                recorder.warnings.append(message)
    finally:
        for f, v in saved.items():
            setattr(time, f, v)
        asyncio.set_event_loop_policy(saved_policy)
        linecache.cache.pop(name, None)
    return {
        "elapsed": clock.seconds(),
        "lines": recorder.lines,
        "tasks": recorder.tasks,
        "never_awaited": recorder.warnings,
        "error": error,
    }


def main():
    programs = json.load(sys.stdin)
    for p in programs:
        result = run(p["source"])
        result["id"] = p["id"]
        sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
