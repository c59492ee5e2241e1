# CancelledError is not an Exception subclass, so except Exception does
# not swallow it; only an explicit except asyncio.CancelledError does.
import asyncio


async def careless():
    try:
        await asyncio.sleep(1)
    except Exception as e:
        print("never reached:", e)
    print("never reached either")


async def main():
    task = asyncio.create_task(careless())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except Exception:
        print("not caught as Exception")
    except asyncio.CancelledError as e:
        print("caught as CancelledError")
        print("is it an Exception?", isinstance(e, Exception))
    print("task cancelled:", task.cancelled())


asyncio.run(main())
