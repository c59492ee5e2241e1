# FIRST_EXCEPTION stops waiting at the first failure; the tasks still
# pending are then cancelled one by one, in creation order.
import asyncio


async def check(name, delay, ok=True):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise
    if not ok:
        raise ValueError(f"{name} failed its check")
    print(f"{name}: passed")
    return name


async def main():
    tasks = [
        asyncio.create_task(check("disk", 0.1)),
        asyncio.create_task(check("network", 0.2, ok=False)),
        asyncio.create_task(check("memory", 0.3)),
        asyncio.create_task(check("cpu", 0.4)),
    ]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("done:", len(done), "pending:", len(pending))
    for t in tasks:
        if t in done and t.exception() is not None:
            print("error:", t.exception())
        elif t in pending:
            t.cancel()
    await asyncio.sleep(0)
    print("cancelled:", [t.cancelled() for t in tasks])


asyncio.run(main())
