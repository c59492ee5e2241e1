# A small kitchen: every dish cooks concurrently, the waiter serves them
# as a table once everything is ready.
import asyncio

COOK_TIMES = {"soup": 0.3, "salad": 0.1, "steak": 0.5, "fries": 0.2}


async def cook(dish, table):
    minutes = COOK_TIMES.get(dish, 0.25)
    print(f"table {table}: start {dish}")
    await asyncio.sleep(minutes)
    print(f"table {table}: {dish} ready")
    return dish


async def serve(table, dishes):
    ready = await asyncio.gather(*[cook(d, table) for d in dishes])
    print(f"table {table} served: {', '.join(ready)}")
    return len(ready)


async def main():
    orders = {1: ["soup", "steak"], 2: ["salad", "fries", "pie"]}
    counts = await asyncio.gather(*[serve(t, d) for t, d in orders.items()])
    print("dishes served:", sum(counts))


asyncio.run(main())
