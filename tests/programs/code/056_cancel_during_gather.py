# Cancelling a task that is waiting in gather cancels every child of the
# gather, in the order they were passed.
import asyncio


async def part(n):
    try:
        await asyncio.sleep(n / 10)
        print("part", n, "done")
    except asyncio.CancelledError:
        print("part", n, "cancelled")
        raise


async def assemble():
    try:
        await asyncio.gather(part(3), part(1), part(5), part(4))
    except asyncio.CancelledError:
        print("assemble cancelled")
        raise


async def main():
    job = asyncio.create_task(assemble())
    await asyncio.sleep(0.2)
    job.cancel()
    try:
        await job
    except asyncio.CancelledError:
        print("main: the job is cancelled =", job.cancelled())


asyncio.run(main())
