# A common mistake: asyncio.wait refuses bare coroutines in 3.12, and the
# coroutine that was never wrapped in a task is never awaited.
import asyncio


async def ping(host):
    await asyncio.sleep(0.1)
    return host + " is up"


async def main():
    try:
        await asyncio.wait([ping("alpha")])
    except TypeError as e:
        print("TypeError:", e)
    tasks = [asyncio.create_task(ping(h)) for h in ("alpha", "beta")]
    done, pending = await asyncio.wait(tasks)
    print(sorted(t.result() for t in done), len(pending))


asyncio.run(main())
