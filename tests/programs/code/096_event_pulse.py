# A clock task pulses an Event (set, then clear) and a listener wakes on
# each pulse; a pulse it misses while busy is simply lost.
import asyncio


async def clock(ev, pulses):
    for n in range(pulses):
        await asyncio.sleep(0.1)
        print("pulse", n)
        ev.set()
        ev.clear()


async def listener(ev, busy_on):
    heard = 0
    for i in range(3):
        await ev.wait()
        heard += 1
        print("  listener woke", heard, "is_set now:", ev.is_set())
        if i == busy_on:
            await asyncio.sleep(0.15)
    return heard


async def main():
    ev = asyncio.Event()
    clock_task = asyncio.create_task(clock(ev, 5))
    heard = await listener(ev, busy_on=1)
    await clock_task
    print("listener heard", heard, "of 5 pulses")


asyncio.run(main())
