# Waiters take orders from a queue inside a TaskGroup; when the kitchen is
# done the host cancels them from the list, one after another.
import asyncio


async def waiter(name, orders, served):
    try:
        while True:
            table, dish = await orders.get()
            await asyncio.sleep(0.03)
            served.append(f"{dish}@{table}")
            orders.task_done()
    except asyncio.CancelledError:
        print(name, "goes off shift")
        raise


async def main():
    orders = asyncio.Queue()
    served = []
    for table, dish in [(1, "soup"), (2, "pasta"), (1, "cake"), (3, "tea"), (2, "salad")]:
        orders.put_nowait((table, dish))
    async with asyncio.TaskGroup() as tg:
        staff = [tg.create_task(waiter(n, orders, served)) for n in ("sam", "kai")]
        await orders.join()
        print("served:", served)
        for w in staff:
            w.cancel()
    print("all waiters cancelled:", all(w.cancelled() for w in staff))


asyncio.run(main())
