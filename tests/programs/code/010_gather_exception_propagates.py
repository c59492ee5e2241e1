# Without return_exceptions, the first exception comes out of gather;
# the other tasks are not cancelled and keep running.
import asyncio


async def step(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"{name} broke")
    print(name, "ok")
    return name


async def main():
    tasks = [
        asyncio.create_task(step("slow", 0.3)),
        asyncio.create_task(step("bad", 0.1, fail=True)),
        asyncio.create_task(step("fast", 0.05)),
    ]
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as e:
        print("gather raised:", e)
    print("slow still running?", not tasks[0].done())
    await asyncio.sleep(0.3)
    print("slow result:", tasks[0].result())
    print("bad exception:", repr(tasks[1].exception()))


asyncio.run(main())
