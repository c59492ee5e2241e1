import asyncio


async def tick(name, n, delay):
    for i in range(n):
        await asyncio.sleep(delay)
        print(f"{name} tick {i}")
    return name


background = asyncio.create_task(tick("background", 3, 1))
first = await tick("cell", 2, 0.5)
print("cell done with", first, "background done?", background.done())
