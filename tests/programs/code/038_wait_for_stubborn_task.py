# A task that catches its cancellation and sleeps once more before
# returning: wait_for waits for it and then returns its value.
import asyncio


async def stubborn_save(doc):
    try:
        await asyncio.sleep(1)
        return f"{doc} saved"
    except asyncio.CancelledError:
        print("cancel requested, finishing the write first")
        await asyncio.sleep(0.2)
        return f"{doc} saved late"


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    task = asyncio.create_task(stubborn_save("draft.txt"))
    try:
        result = await asyncio.wait_for(task, timeout=0.3)
        print("wait_for returned:", result)
    except TimeoutError:
        print("timed out")
    print(f"after {loop.time() - t0:.1f}s: cancelled={task.cancelled()} result={task.result()!r}")


asyncio.run(main())
