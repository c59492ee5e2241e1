# Tuple unpacking in many shapes: swapping, nested tuples, starred
# targets, and unpacking in for loops over zip and enumerate.
import asyncio


async def measure(city, temps):
    await asyncio.sleep(0.01)
    low, *middle, high = sorted(temps)
    return city, (low, high), len(middle)


async def main():
    a, b = 1, 2
    a, b = b, a
    print("swapped:", a, b)
    data = {"oslo": [3, -2, 5, 1], "rome": [18, 21, 15], "cairo": [30, 33]}
    results = await asyncio.gather(*[measure(c, t) for c, t in data.items()])
    for city, (low, high), inner in results:
        print(f"{city:<6} low {low:3d} high {high:3d} ({inner} in between)")
    first, *rest = [r[0] for r in results]
    print("first:", first, "rest:", rest)
    *init, last = "abc"
    print(init, last)
    for i, (name, (lo, hi), _) in enumerate(results, start=1):
        print(i, name, hi - lo)
    names, spans, _ = zip(*results)
    print(names, spans)
    (x, y), z = (10, 20), 30
    print(x + y + z)


asyncio.run(main())
