# Runners wait at the start line for an Event; one set() releases all of
# them in the order they began waiting.
import asyncio


async def runner(name, start_gun, pace):
    print(name, "is ready")
    await start_gun.wait()
    print(name, "starts running")
    await asyncio.sleep(pace)
    print(name, "crosses the line")
    return name


async def main():
    gun = asyncio.Event()
    pace = {"kim": 0.3, "lee": 0.2, "max": 0.25}
    tasks = [asyncio.create_task(runner(n, gun, p)) for n, p in pace.items()]
    await asyncio.sleep(0.1)
    print("gun set?", gun.is_set())
    gun.set()
    print("bang! gun set?", gun.is_set())
    finishers = await asyncio.gather(*tasks)
    podium = sorted(finishers, key=lambda n: pace[n])
    print("podium:", podium)


asyncio.run(main())
