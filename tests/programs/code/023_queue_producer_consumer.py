# One producer, two consumers sharing an asyncio.Queue; None tells a
# consumer to stop.
import asyncio


async def producer(queue, items):
    for item in items:
        await queue.put(item)
        print(f"produced {item} (size {queue.qsize()})")
        await asyncio.sleep(0.02)
    for _ in range(2):
        await queue.put(None)


async def consumer(name, queue, seen):
    while True:
        item = await queue.get()
        if item is None:
            print(name, "stops")
            return len(seen[name])
        seen[name].append(item)
        print(f"  {name} consumed {item}")
        await asyncio.sleep(0.05)


async def main():
    queue = asyncio.Queue()
    seen = {"c1": [], "c2": []}
    counts = await asyncio.gather(
        producer(queue, ["a", "b", "c", "d", "e"]),
        consumer("c1", queue, seen),
        consumer("c2", queue, seen),
    )
    print("counts:", counts[1:], "seen:", seen)
    print("queue empty?", queue.empty())


asyncio.run(main())
