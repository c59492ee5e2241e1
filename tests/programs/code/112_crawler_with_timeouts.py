# A crawler that fetches pages with random (seeded) latency under a
# Semaphore, gives each fetch a timeout, and reports the slow ones.
import asyncio
import random


async def fetch(url, sem, latency):
    async with sem:
        try:
            return await asyncio.wait_for(asyncio.sleep(latency, result=f"<{url}>"), timeout=0.15)
        except asyncio.TimeoutError:
            return None


async def main():
    random.seed(8)
    urls = [f"/page/{i}" for i in range(1, 8)]
    latencies = [round(random.uniform(0.02, 0.25), 3) for _ in urls]
    sem = asyncio.Semaphore(3)
    pages = await asyncio.gather(*[fetch(u, sem, lat) for u, lat in zip(urls, latencies)])
    for url, lat, page in zip(urls, latencies, pages):
        status = "ok" if page else "timeout"
        print(f"{url:<8} {lat:.3f}s {status}")
    slow = [u for u, p in zip(urls, pages) if p is None]
    print(f"{len(slow)} of {len(urls)} timed out:", slow)


asyncio.run(main())
