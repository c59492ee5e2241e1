# Cancelling one child task directly makes gather raise CancelledError
# in the waiter, while the sibling tasks keep running.
import asyncio


async def fetch(n):
    await asyncio.sleep(0.1 * n)
    print("fetched", n)
    return n


async def main():
    tasks = [asyncio.create_task(fetch(n)) for n in (1, 2, 3)]
    waiter = asyncio.gather(*tasks)
    await asyncio.sleep(0.15)
    tasks[1].cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("gather raised CancelledError")
    print("left running:", [not t.done() for t in tasks])
    await asyncio.sleep(0.2)
    print("third result:", tasks[2].result())


asyncio.run(main())
