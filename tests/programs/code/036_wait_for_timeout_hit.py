# When wait_for's timeout runs out, the slow coroutine is cancelled and
# TimeoutError comes out; asyncio.TimeoutError is the same class.
import asyncio


async def slow_query(sql):
    try:
        print("running:", sql)
        await asyncio.sleep(1)
        return ["row"]
    finally:
        print("query cleaned up")


async def main():
    print("same class?", asyncio.TimeoutError is TimeoutError)
    try:
        rows = await asyncio.wait_for(slow_query("SELECT * FROM big"), timeout=0.2)
        print("rows:", rows)
    except asyncio.TimeoutError:
        print("gave up after 0.2s")
    try:
        await asyncio.wait_for(slow_query("SELECT 1"), timeout=0.1)
    except TimeoutError as e:
        print("caught builtin TimeoutError:", type(e).__name__, repr(str(e)))


asyncio.run(main())
