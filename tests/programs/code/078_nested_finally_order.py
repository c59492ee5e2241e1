# Nested try/finally blocks unwind from the inside out when an error
# passes through them, even across awaits.
import asyncio


async def inner():
    try:
        print("inner: working")
        await asyncio.sleep(0.01)
        raise ZeroDivisionError("inner gave up")
    finally:
        print("inner: finally")


async def middle():
    try:
        await inner()
    finally:
        print("middle: finally")


async def main():
    try:
        try:
            await middle()
        finally:
            print("main: inner finally")
    except ZeroDivisionError as e:
        print("main caught:", e)
    finally:
        print("main: outer finally")
    print("program continues")


asyncio.run(main())
