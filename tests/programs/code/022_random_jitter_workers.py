# Workers with random jitter finish in an order decided by the seed;
# finish order is collected in a shared list.
import asyncio
import random


async def worker(wid, finished):
    delay = round(random.uniform(0.1, 0.5), 2)
    print(f"worker {wid} sleeps {delay}")
    await asyncio.sleep(delay)
    finished.append(wid)
    return delay


async def main():
    random.seed(42)
    finished = []
    delays = await asyncio.gather(*[worker(i, finished) for i in range(5)])
    print("finish order:", finished)
    print("slowest:", max(delays), "fastest:", min(delays))
    print("mean %.3f" % (sum(delays) / len(delays)))


asyncio.run(main())
