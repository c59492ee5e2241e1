# A bank balance updated by concurrent deposits: without a lock updates
# get lost across an await, with asyncio.Lock they do not.
import asyncio

balance = 0


async def deposit(amount, lock=None):
    global balance
    if lock is None:
        current = balance
        await asyncio.sleep(0.01)
        balance = current + amount
    else:
        async with lock:
            current = balance
            await asyncio.sleep(0.01)
            balance = current + amount


async def main():
    global balance
    await asyncio.gather(*[deposit(10) for _ in range(5)])
    print("without lock:", balance)
    balance = 0
    lock = asyncio.Lock()
    await asyncio.gather(*[deposit(10, lock) for _ in range(5)])
    print("with lock:", balance)
    print("lock held afterwards?", lock.locked())


asyncio.run(main())
