# gather also takes tasks that are already running; the tasks keep their
# results, which can be read again with result() afterwards.
import asyncio


async def brew(drink, minutes):
    print(f"brewing {drink}")
    await asyncio.sleep(minutes / 10)
    return f"{drink} ({minutes} min)"


async def main():
    orders = {"tea": 3, "coffee": 2, "cocoa": 1}
    tasks = [asyncio.create_task(brew(d, m)) for d, m in orders.items()]
    print("any done before gather?", any(t.done() for t in tasks))
    ready = await asyncio.gather(*tasks)
    for line in ready:
        print("served", line)
    print("first task result again:", tasks[0].result())
    print("all done:", all(t.done() for t in tasks))


asyncio.run(main())
