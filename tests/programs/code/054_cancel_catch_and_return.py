# A task may catch its CancelledError and return normally; then it is
# not cancelled at all and its result is the returned value.
import asyncio


async def counter(limit):
    count = 0
    try:
        while count < limit:
            count += 1
            await asyncio.sleep(0.1)
    except asyncio.CancelledError:
        print("counter interrupted at", count)
        return -count
    return count


async def main():
    task = asyncio.create_task(counter(10))
    await asyncio.sleep(0.35)
    task.cancel()
    value = await task
    print("value:", value)
    print("cancelled?", task.cancelled(), "result:", task.result(), "exception:", task.exception())


asyncio.run(main())
