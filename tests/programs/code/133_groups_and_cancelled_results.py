# What a task group's failure and a gather of cancelled tasks look like when
# printed: the group's repr with its exceptions, one made by hand, and a
# cancelled child in gather's results.
import asyncio


async def job(n):
    await asyncio.sleep(n / 10)
    if n % 2:
        raise ValueError(f"job {n} failed")
    return n


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            for n in range(1, 4):
                tg.create_task(job(n))
    except ExceptionGroup as eg:
        print(repr(eg))
        print(eg, eg.args[0], [str(e) for e in eg.exceptions])
    mine = ExceptionGroup("checks", [ValueError("a"), TypeError("b")])
    print(repr(mine), len(mine.exceptions), mine.args[1])
    tasks = [asyncio.create_task(job(n)) for n in (2, 4, 6)]
    await asyncio.sleep(0.3)
    tasks[1].cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print(results, [type(r).__name__ for r in results])


asyncio.run(main())
