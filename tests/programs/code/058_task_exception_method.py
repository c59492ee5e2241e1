# task.exception() returns what a finished task raised (or None), and
# task.result() raises it again.
import asyncio


async def divide(a, b):
    await asyncio.sleep(0.01)
    return a / b


async def main():
    ok = asyncio.create_task(divide(10, 4))
    bad = asyncio.create_task(divide(1, 0))
    await asyncio.wait([ok, bad])
    print("ok.exception():", ok.exception(), "result:", ok.result())
    err = bad.exception()
    print("bad.exception():", type(err).__name__, "-", err)
    try:
        bad.result()
    except ZeroDivisionError as e:
        print("result() re-raised:", e)
    print("is the same object:", err is bad.exception())


asyncio.run(main())
