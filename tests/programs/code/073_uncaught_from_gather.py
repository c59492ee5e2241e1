# An exception from one gathered coroutine escapes main; asyncio.run then
# cancels the task that is still running, whose finally block reports it.
import asyncio


async def render(frame):
    await asyncio.sleep(0.02 * frame)
    if frame == 3:
        raise IndexError("frame 3 is missing")
    print("rendered frame", frame)


async def music():
    try:
        await asyncio.sleep(1)
        print("music finished")
    finally:
        print("music stopped")


async def main():
    asyncio.create_task(music())
    await asyncio.gather(*[render(f) for f in range(1, 6)])
    print("not reached")


asyncio.run(main())
