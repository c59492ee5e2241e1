# time.sleep inside a coroutine blocks the whole event loop: the ticker
# cannot tick while the blocking task sleeps.
import asyncio
import time


async def ticker(start):
    for i in range(4):
        print(f"tick {i} at {time.perf_counter() - start:.2f}")
        await asyncio.sleep(0.05)


async def blocker(start):
    await asyncio.sleep(0.06)
    print(f"blocking at {time.perf_counter() - start:.2f}")
    time.sleep(0.1)
    print(f"unblocked at {time.perf_counter() - start:.2f}")


async def main():
    start = time.perf_counter()
    await asyncio.gather(ticker(start), blocker(start))
    print(f"total {time.perf_counter() - start:.2f}")


asyncio.run(main())
