# A learner mistake: asyncio.Lock only works with async with; a plain with
# statement raises TypeError, and the fixed version works.
import asyncio


async def update(lock, shared, key):
    try:
        with lock:
            shared[key] = shared.get(key, 0) + 1
    except TypeError as e:
        print("plain with failed:", e)
    async with lock:
        shared[key] = shared.get(key, 0) + 1
        await asyncio.sleep(0.01)
    return shared[key]


async def main():
    lock = asyncio.Lock()
    shared = {}
    counts = await asyncio.gather(update(lock, shared, "a"), update(lock, shared, "a"))
    print("counts:", counts, "shared:", shared)


asyncio.run(main())
