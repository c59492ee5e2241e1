# Nested asyncio.timeout blocks: the inner deadline is longer than the
# outer one, so the outer block is the one that reports the timeout.
import asyncio


async def job(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def main():
    try:
        async with asyncio.timeout(0.2):
            try:
                async with asyncio.timeout(1.0):
                    await job(0.5)
            except TimeoutError:
                print("inner timeout fired")
            print("after inner block")
    except TimeoutError:
        print("outer timeout fired")
    try:
        async with asyncio.timeout(1.0):
            try:
                async with asyncio.timeout(0.1):
                    await job(0.5)
            except TimeoutError:
                print("inner timeout fired")
            print("outer still fine:", await job(0.05))
    except TimeoutError:
        print("outer timeout fired")


asyncio.run(main())
