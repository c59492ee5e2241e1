# The event loop keeps its own clock: get_running_loop().time() moves on
# while coroutines sleep.
import asyncio


async def tick(loop, start, label, delay):
    await asyncio.sleep(delay)
    print(f"{label:<6} at {loop.time() - start:.3f}")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(
        tick(loop, start, "short", 0.125),
        tick(loop, start, "medium", 0.25),
        tick(loop, start, "long", 0.5),
    )
    waited = loop.time() - start
    print("waited", round(waited, 3), "seconds")
    print("under a second?", waited < 1)


asyncio.run(main())
