# A generator expression runs only as far as it is asked: any() stops at the
# first ready mirror, next() takes one item, and a failing item is met only
# when the loop reaches it. Names it reads are looked up when it runs.
import asyncio

checked = []


def ready(mirror, status):
    checked.append(mirror)
    return status[mirror] == "up"


async def probe(mirror, delay):
    await asyncio.sleep(delay)
    return mirror, "up" if delay < 0.3 else "slow"


async def main():
    mirrors = ["eu", "us", "asia", "au"]
    results = await asyncio.gather(*(probe(m, 0.1 * (i + 1)) for i, m in enumerate(mirrors)))
    status = dict(results)
    print(status)
    print("any up:", any(ready(m, status) for m in mirrors), "after checking", checked)
    checked.clear()
    print("all up:", all(ready(m, status) for m in mirrors), "after checking", checked)
    first_slow = next((m for m in mirrors if status[m] == "slow"), None)
    print("first slow:", first_slow)
    scale = 1
    sizes = (len(m) * scale for m in mirrors)
    scale = 10
    print("sizes:", list(sizes), "again:", list(sizes))
    pending = (asyncio.create_task(probe(m, 0.05)) for m in ["x", "y"])
    print("no task yet:", len(asyncio.all_tasks()))
    done = [await t for t in pending]
    print("done:", done)
    try:
        total = sum(10 // (len(m) - 2) for m in mirrors)
    except ZeroDivisionError as e:
        print("stopped at the failing item:", e)
    seen = iter(mirrors)
    try:
        print(list(next(seen) for _ in range(6)))
    except RuntimeError as e:
        print("RuntimeError:", e, "cause:", type(e.__cause__).__name__)
    print(type(m for m in mirrors).__name__, 3 in (len(m) for m in mirrors))


asyncio.run(main())
