# asyncio.TaskGroup waits for all of its tasks when the async with block
# ends; results are read from the tasks afterwards.
import asyncio


async def bake(item, minutes):
    print("oven:", item)
    await asyncio.sleep(minutes / 10)
    print("out:", item)
    return item.upper()


async def main():
    menu = {"bread": 3, "cookies": 1, "cake": 2}
    async with asyncio.TaskGroup() as tg:
        tasks = {name: tg.create_task(bake(name, m)) for name, m in menu.items()}
        print("tasks created, none finished:", not any(t.done() for t in tasks.values()))
    print("after the block all done:", all(t.done() for t in tasks.values()))
    for name, t in tasks.items():
        print(f"{name:>8}: {t.result()}")


asyncio.run(main())
