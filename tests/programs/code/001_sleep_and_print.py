# The smallest asyncio program: one coroutine that sleeps between prints,
# timed with time.perf_counter.
import asyncio
import time


async def greet(name, delay=0.1):
    print(f"hello, {name}")
    await asyncio.sleep(delay)
    print(f"goodbye, {name}")
    return len(name)


async def main():
    t0 = time.perf_counter()
    n = await greet("world")
    m = await greet("asyncio", delay=0.25)
    elapsed = time.perf_counter() - t0
    print("letters:", n + m)
    print(f"took {elapsed:.2f} s")


asyncio.run(main())
