# One except clause can catch several exception types with a tuple; the
# lookups fail in different ways depending on the key.
import asyncio

INVENTORY = {"apples": [5, 3, 8], "pears": [2]}


async def nth_batch(fruit, n):
    await asyncio.sleep(0)
    return INVENTORY[fruit][n]


async def main():
    queries = [("apples", 1), ("pears", 3), ("plums", 0), ("apples", -1)]
    for fruit, n in queries:
        try:
            size = await nth_batch(fruit, n)
        except (KeyError, IndexError) as e:
            kind = "unknown fruit" if isinstance(e, KeyError) else "no such batch"
            print(f"{fruit}[{n}]: {kind} ({type(e).__name__}: {e})")
        else:
            print(f"{fruit}[{n}] = {size}")


asyncio.run(main())
