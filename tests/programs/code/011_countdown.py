# A rocket countdown on one line with print(end=...), then a liftoff
# message; the counter goes down with -=.
import asyncio


async def countdown(start, tick=0.05):
    n = start
    while n > 0:
        print(n, end=" ")
        await asyncio.sleep(tick)
        n -= 1
    print("liftoff!")
    return start * tick


async def main():
    spent = await countdown(5)
    print("countdown took", round(spent, 2), "seconds")
    print("T", "minus", "zero", sep="-")
    print(*["go"] * 3, sep="! ", end="!\n")


asyncio.run(main())
