# Sets print in the order of their hash table, not the order things were added: for small
# ints that is their value, for others it depends on the table's size.
import asyncio


async def collect(name, values, delay):
    await asyncio.sleep(delay)
    seen = set()
    for v in values:
        seen.add(v)
    print(name, seen, len(seen))
    return seen


async def main():
    a, b = await asyncio.gather(
        collect("small", [3, 1, 2, 3, 0], 0.1),
        collect("spread", [40, 7, 33, 8, 15, 64, 1], 0.2),
    )
    print({5, 3, 9, 1}, set([100, 20, 3]), {-1, -2, 4})
    print(a | b, {x * 7 for x in range(12)})
    many = {i * 37 % 101 for i in range(30)}
    print(many)
    print([v for v in {8, 16, 24, 32}], sorted(b))


asyncio.run(main())
