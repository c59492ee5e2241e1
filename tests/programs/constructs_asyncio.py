import asyncio
import random
import time


async def producer(queue, n):
    for i in range(n):
        await queue.put(i)
        await asyncio.sleep(random.uniform(0.1, 0.3))
    await queue.put(None)


async def consumer(queue, name):
    while True:
        item = await queue.get()
        if item is None:
            queue.task_done()
            break
        print(f'{name} got {item}')
        queue.task_done()


async def main():
    random.seed(1)
    queue = asyncio.Queue(maxsize=2)
    sem = asyncio.Semaphore(2)
    event = asyncio.Event()
    start = time.perf_counter()
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    tasks = [asyncio.create_task(consumer(queue, f'c{i}')) for i in range(2)]
    await producer(queue, 5)
    await queue.join()
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for coro in asyncio.as_completed([asyncio.sleep(0.1, result=1)]):
        print(await coro)
    me = asyncio.current_task()
    tasks[0].cancel()
    print(tasks[0].done(), round(time.perf_counter() - start, 2), time.time() > 0, time.monotonic() > 0)
    event.set()
    time.sleep(0.1)
    items = [3, 1, 2]
    random.shuffle(items)
    print(sorted(items, key=lambda v: -v, reverse=True), min(items), max(items), abs(-3))
    print(random.choice(items), random.randint(1, 6), random.random() < 1)
    print(isinstance(items, list), str(1), repr('a'), int('3'), float('2.5'), list('ab'), dict(a=1))
    print(len(items), list(zip(items, 'abc')), [i for i, _ in enumerate(items, start=1)])

await main()
