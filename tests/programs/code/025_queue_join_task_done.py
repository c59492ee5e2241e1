# Workers call task_done for every job; queue.join() returns when all jobs
# are done, then the idle workers are cancelled.
import asyncio


async def worker(name, queue, results):
    try:
        while True:
            job = await queue.get()
            await asyncio.sleep(job / 100)
            results.append((name, job))
            queue.task_done()
    except asyncio.CancelledError:
        print(name, "cancelled while idle")
        raise


async def main():
    queue = asyncio.Queue()
    for job in [5, 3, 8, 1, 4, 2]:
        queue.put_nowait(job)
    results = []
    workers = [asyncio.create_task(worker(f"w{i}", queue, results)) for i in range(3)]
    await queue.join()
    print("all jobs done:", results)
    for w in workers:
        w.cancel()
    outcome = await asyncio.gather(*workers, return_exceptions=True)
    print([type(x).__name__ for x in outcome])
    print("cancelled:", [w.cancelled() for w in workers])


asyncio.run(main())
