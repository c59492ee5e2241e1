# Timers due at the same moment fire in the order they were started, even
# when they were started by different tasks at different times.
import asyncio


async def alarm(name, delay):
    await asyncio.sleep(delay)
    print("ring", name)


async def late_starter():
    await asyncio.sleep(0.1)
    await alarm("late (0.1 + 0.2)", 0.2)


async def main():
    asyncio.create_task(alarm("c", 0.3))
    asyncio.create_task(late_starter())
    asyncio.create_task(alarm("a", 0.3))
    asyncio.create_task(alarm("b", 0.3))
    await alarm("main's own", 0.3)
    await asyncio.sleep(0.01)
    print("done")


asyncio.run(main())
