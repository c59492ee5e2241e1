# Three tasks queue up on a held lock; they get it in the order they
# started waiting.
import asyncio


async def use(lock, name, order):
    print(name, "waits; locked =", lock.locked())
    async with lock:
        order.append(name)
        print(name, "has the lock")
        await asyncio.sleep(0.05)
    print(name, "released it")


async def main():
    lock = asyncio.Lock()
    order = []
    async with lock:
        tasks = [asyncio.create_task(use(lock, n, order)) for n in ("first", "second", "third")]
        await asyncio.sleep(0.1)
        print("main releases after holding it; locked =", lock.locked())
    await asyncio.gather(*tasks)
    print("order:", order)
    print("locked at the end:", lock.locked())


asyncio.run(main())
