# When a timeout interrupts work, the interrupted coroutine's finally
# block still runs, so resources are released.
import asyncio

open_connections = []


async def use_connection(name, work):
    open_connections.append(name)
    print("opened", name)
    try:
        await asyncio.sleep(work)
        print("finished work on", name)
    finally:
        open_connections.remove(name)
        print("closed", name)


async def main():
    try:
        async with asyncio.timeout(0.2):
            await use_connection("db-1", 0.1)
            await use_connection("db-2", 0.5)
    except TimeoutError:
        print("timed out")
    print("still open:", open_connections)


asyncio.run(main())
