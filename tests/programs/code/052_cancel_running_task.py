# Cancelling a sleeping task: the awaiter sees CancelledError, and the
# task reports done() and cancelled().
import asyncio


async def long_job():
    print("long job starts")
    await asyncio.sleep(5)
    print("never printed")


async def main():
    task = asyncio.create_task(long_job())
    await asyncio.sleep(0.1)
    print("done before cancel?", task.done())
    asked = task.cancel()
    print("cancel() returned", asked, "- done yet?", task.done())
    try:
        await task
    except asyncio.CancelledError:
        print("main saw CancelledError")
    print("done:", task.done(), "cancelled:", task.cancelled())
    print("cancel again returns", task.cancel())


asyncio.run(main())
