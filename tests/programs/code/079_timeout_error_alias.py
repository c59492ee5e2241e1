# One except clause for both timeout styles: wait_for and asyncio.timeout
# both raise the builtin TimeoutError in 3.12.
import asyncio


async def slow(x):
    await asyncio.sleep(0.2)
    return x


async def with_wait_for():
    return await asyncio.wait_for(slow("a"), 0.1)


async def with_timeout_block():
    async with asyncio.timeout(0.1):
        return await slow("b")


async def main():
    for label, fn in [("wait_for", with_wait_for), ("timeout()", with_timeout_block)]:
        try:
            await fn()
        except TimeoutError as e:
            print(f"{label:>9} timed out:", isinstance(e, asyncio.TimeoutError))
    print("done")


asyncio.run(main())
