# Tasks made with create_task start only when main yields to the loop;
# they then run in the order they were created.
import asyncio


async def worker(n):
    print("worker", n, "starts")
    await asyncio.sleep(0.1 * (3 - n))
    print("worker", n, "done")
    return n * 10


async def main():
    tasks = []
    for i in range(3):
        tasks.append(asyncio.create_task(worker(i)))
        print("created task", i)
    print("main has not yielded yet")
    await asyncio.sleep(0)
    print("main is back after sleep(0)")
    total = 0
    for t in tasks:
        total += await t
    print("total", total)


asyncio.run(main())
