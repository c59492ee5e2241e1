# A rate limiter: a Semaphore(3) lets three requests through, and each
# holds its slot for a whole window before the next may go.
import asyncio

WINDOW = 0.2


async def request(n, sem, loop, t0):
    async with sem:
        print(f"request {n:2d} sent at {loop.time() - t0:.1f}")
        await asyncio.sleep(WINDOW)
    return n


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    sem = asyncio.Semaphore(3)
    done = await asyncio.gather(*[request(n, sem, loop, t0) for n in range(1, 9)])
    print("sent", len(done), "requests in", round(loop.time() - t0, 2), "s")
    windows = {}
    for n in done:
        windows.setdefault((n - 1) // 3, []).append(n)
    for w, ns in windows.items():
        print("window", w, "->", ns)


asyncio.run(main())
