# An error raised in the body of the async with TaskGroup cancels the
# group's children too; the only child here reports its cancellation.
import asyncio


async def spinner():
    frames = "|/-\\"
    i = 0
    try:
        while True:
            print("spin", frames[i % len(frames)])
            i += 1
            await asyncio.sleep(0.05)
    finally:
        print("spinner stopped after", i, "frames")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(spinner())
            await asyncio.sleep(0.12)
            raise KeyError("config")
    except Exception as e:
        print(type(e).__name__, "-", e)


asyncio.run(main())
