# A CPU-bound loop inside a coroutine never yields: the sleeping tasks
# around it have to wait until the sum is finished.
import asyncio


async def crunch(n):
    print("crunching", n, "numbers")
    total = 0
    for i in range(n):
        total += i * i % 7
    print("crunched:", total)
    return total


async def heartbeat(beats):
    for b in range(beats):
        print("beat", b)
        await asyncio.sleep(0)


async def main():
    hb = asyncio.create_task(heartbeat(3))
    await asyncio.sleep(0)
    result = await crunch(100_000)
    print("after crunch, heartbeat done?", hb.done())
    await hb
    print("sum of range:", sum(range(100_000)))
    print("result is even" if result % 2 == 0 else "result is odd")


asyncio.run(main())
