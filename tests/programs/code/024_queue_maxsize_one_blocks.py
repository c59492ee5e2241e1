# A queue with maxsize=1: the producer blocks on put until the slow
# consumer takes the item out.
import asyncio
import time


async def producer(q, start):
    for i in range(3):
        print(f"{time.perf_counter() - start:.2f} put {i}? full={q.full()}")
        await q.put(i)
        print(f"{time.perf_counter() - start:.2f} put {i} done")


async def consumer(q, start):
    for _ in range(3):
        await asyncio.sleep(0.1)
        item = await q.get()
        print(f"{time.perf_counter() - start:.2f}     got {item}, size now {q.qsize()}")


async def main():
    q = asyncio.Queue(maxsize=1)
    print("maxsize:", q.maxsize, "empty:", q.empty())
    start = time.perf_counter()
    await asyncio.gather(producer(q, start), consumer(q, start))
    print("finished with", q.qsize(), "items left")


asyncio.run(main())
