# Cancelling the end of a chain of tasks, each awaiting the one before: only the innermost wait
# is cancelled; the task just above it sees CancelledError, the rest see its result.
import asyncio


async def wait_on(t, i):
    try:
        value = await t
    except asyncio.CancelledError:
        print(f"link {i} saw the cancellation")
        return "caught"
    return value


async def main():
    t = asyncio.create_task(asyncio.sleep(10))
    for i in range(100):
        t = asyncio.create_task(wait_on(t, i))
    await asyncio.sleep(1)
    print("cancel() says", t.cancel())
    print("the end of the chain gives", await t)


asyncio.run(main())
