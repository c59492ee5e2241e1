import asyncio


async def flaky(n):
    await asyncio.sleep(0.1 * n)
    if n == 2:
        raise ValueError(f"job {n} failed")
    return n


async def main():
    attempts = [
        ("gather with a misspelt keyword", lambda: asyncio.gather(flaky(1), return_exception=True)),
        ("sleep without a delay", lambda: asyncio.sleep()),
        ("sleep with too much", lambda: asyncio.sleep(1, None, 3)),
        ("wait_for without a timeout", lambda: asyncio.wait_for(flaky(1))),
        ("a queue's misspelt size", lambda: asyncio.Queue(maxsiz=3)),
        ("an event given a value", lambda: asyncio.Event(True)),
        ("setting an event with a value", lambda: asyncio.Event().set(1)),
        ("putting nothing", lambda: asyncio.Queue().put_nowait()),
        ("a task with a misspelt name", lambda: asyncio.create_task(flaky(1), nme="one")),
        ("print with a misspelt sep", lambda: print("a", "b", sepp="-")),
        ("sorted with a positional key", lambda: sorted(["bb", "a"], len)),
        ("sort with a positional key", lambda: ["bb", "a"].sort(len)),
        ("len by keyword", lambda: len(obj=[1])),
        ("cancel with two messages", lambda: asyncio.current_task().cancel("a", "b")),
        ("cancel with a misspelt keyword", lambda: asyncio.current_task().cancel(mesg="a")),
    ]
    for what, call in attempts:
        try:
            call()
            print(what, "-> no error")
        except TypeError as e:
            print(what, "->", e)
    print(await asyncio.gather(flaky(1), flaky(2), return_exceptions=True))


asyncio.run(main())
