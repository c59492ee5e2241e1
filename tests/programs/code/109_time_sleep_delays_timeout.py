# A blocking time.sleep inside a coroutine guarded by wait_for: the
# timeout cannot fire while the loop is blocked, so it fires late.
import asyncio
import time


async def stuck(t0):
    print(f"start at {time.perf_counter() - t0:.2f}")
    time.sleep(0.3)
    print(f"block over at {time.perf_counter() - t0:.2f}")
    await asyncio.sleep(0.1)
    print("never printed")


async def main():
    t0 = time.perf_counter()
    try:
        await asyncio.wait_for(stuck(t0), timeout=0.1)
    except TimeoutError:
        print(f"timed out at {time.perf_counter() - t0:.2f}, not at 0.10")


asyncio.run(main())
