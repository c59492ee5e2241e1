# A typo in a variable name is only found when the line runs: the first
# two rounds work, the third raises NameError.
import asyncio


async def score_round(n):
    await asyncio.sleep(0.01)
    points = n * 10
    if n < 3:
        return points
    return points + bonus


async def main():
    total = 0
    for n in range(1, 5):
        total += await score_round(n)
        print("after round", n, "total", total)


asyncio.run(main())
