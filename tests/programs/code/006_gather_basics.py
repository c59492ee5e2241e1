# gather runs coroutines concurrently and returns their results in the
# order they were passed, not the order they finished.
import asyncio


async def square_later(x, delay):
    await asyncio.sleep(delay)
    print(f"squared {x}")
    return x * x


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    results = await asyncio.gather(
        square_later(3, 0.3),
        square_later(4, 0.1),
        square_later(5, 0.2),
    )
    print("results:", results)
    print("elapsed %.1f s" % (loop.time() - t0))
    empty = await asyncio.gather()
    print("gather of nothing:", empty)


asyncio.run(main())
