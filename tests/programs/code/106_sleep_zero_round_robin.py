# Many tasks yielding with sleep(0) take turns in strict round-robin
# order; counting the turns shows how the loop interleaves them.
import asyncio

turns = []


async def spinner(name, laps):
    for lap in range(laps):
        turns.append(name)
        await asyncio.sleep(0)
    return name * laps


async def main():
    tasks = [asyncio.create_task(spinner(n, laps)) for n, laps in [("a", 3), ("b", 1), ("c", 2)]]
    results = await asyncio.gather(*tasks)
    print("turns:", "".join(turns))
    print("results:", results)
    counts = {}
    for t in turns:
        counts[t] = counts.get(t, 0) + 1
    print("counts:", counts)


asyncio.run(main())
