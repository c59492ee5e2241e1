# An elevator serving floor requests from a queue, one at a time, while
# passengers call it from different floors at different times.
import asyncio

FLOOR_TIME = 0.02


async def elevator(requests, served):
    floor = 0
    while True:
        who, target = await requests.get()
        if who is None:
            break
        distance = abs(target - floor)
        await asyncio.sleep(distance * FLOOR_TIME)
        direction = "up" if target > floor else "down" if target < floor else "stay"
        print(f"{who:<5} floor {floor} -> {target} ({direction}, {distance} floors)")
        floor = target
        served.append(who)
        requests.task_done()
    return floor


async def passenger(requests, who, at, floor):
    await asyncio.sleep(at)
    await requests.put((who, floor))


async def main():
    requests = asyncio.Queue()
    served = []
    lift = asyncio.create_task(elevator(requests, served))
    calls = [("ann", 0.0, 5), ("ben", 0.01, 2), ("cara", 0.2, 2), ("dev", 0.05, 9)]
    await asyncio.gather(*[passenger(requests, w, a, f) for w, a, f in calls])
    await requests.join()
    await requests.put((None, None))
    print("final floor:", await lift, "order:", served)


asyncio.run(main())
