# Two builds that each gather both builds: a cycle, each waiting on itself. When main returns,
# asyncio.run cancels what is left, and the cancellation goes round the cycle (a task cancels
# its gather, the gather its tasks, ...) until Python's recursion limit stops it.
import asyncio


async def build(name, tasks):
    print("building", name)
    await asyncio.gather(*tasks.values())
    return name


async def main():
    tasks = {}
    for name in ["app", "lib"]:
        tasks[name] = asyncio.create_task(build(name, tasks))
    await asyncio.sleep(0.1)
    print("main returns with both builds still waiting")


asyncio.run(main())
