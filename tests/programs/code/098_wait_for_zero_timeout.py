# wait_for with timeout=0 does not even start the coroutine: it times out
# at once, unless the awaitable is already done.
import asyncio


async def greet():
    print("greet ran")
    return "hi"


async def main():
    try:
        await asyncio.wait_for(greet(), timeout=0)
    except TimeoutError:
        print("timed out without running greet")
    finished = asyncio.create_task(greet())
    await asyncio.sleep(0)
    print("task done:", finished.done())
    print("already done:", await asyncio.wait_for(finished, timeout=0))


asyncio.run(main())
