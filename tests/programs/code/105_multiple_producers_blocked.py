# Two producers share a queue of size 2 with one slow consumer; blocked
# puts go through in the order the producers started waiting.
import asyncio


async def producer(name, q, count):
    for i in range(count):
        item = f"{name}{i}"
        await q.put(item)
        print(f"{name} put {item}, size {q.qsize()}")


async def consumer(q, total):
    got = []
    for _ in range(total):
        await asyncio.sleep(0.05)
        got.append(await q.get())
    return got


async def main():
    q = asyncio.Queue(2)
    results = await asyncio.gather(producer("a", q, 3), producer("b", q, 2), consumer(q, 5))
    print("consumed:", results[2])
    print("empty:", q.empty(), "full:", q.full())


asyncio.run(main())
