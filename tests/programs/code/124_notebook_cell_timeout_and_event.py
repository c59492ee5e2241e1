import asyncio

ready = asyncio.Event()


async def waiter(name):
    print(name, "waits")
    await ready.wait()
    print(name, "goes at", asyncio.get_running_loop().time())


async def opener(delay):
    await asyncio.sleep(delay)
    print("opening")
    ready.set()


workers = [asyncio.create_task(waiter(f"w{i}")) for i in range(3)]
try:
    async with asyncio.timeout(0.5):
        await ready.wait()
except TimeoutError:
    print("not yet at", asyncio.get_running_loop().time())
asyncio.create_task(opener(1))
print("cell ends; the loop keeps running")
