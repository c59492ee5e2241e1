# A lookup of a key that is not there, inside a task awaited by main:
# the KeyError travels out of the task, out of main and out of asyncio.run.
import asyncio

STOCK = {"w": 3, "y": 0, "z": 12}


async def reserve(item, qty):
    await asyncio.sleep(0.02)
    STOCK[item] -= qty
    print(f"reserved {qty} x {item}, {STOCK[item]} left")
    return STOCK[item]


async def main():
    order = [("z", 2), ("w", 1), ("x", 1), ("z", 1)]
    for item, qty in order:
        task = asyncio.create_task(reserve(item, qty))
        await task
    print("order complete")


asyncio.run(main())
