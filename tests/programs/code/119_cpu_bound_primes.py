# Counting primes by trial division is pure CPU work: while it runs, the
# clock task cannot tick, so its ticks bunch up before and after.
import asyncio


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


async def clock(ticks):
    for t in range(ticks):
        print("tick", t)
        await asyncio.sleep(0)


async def count_primes(limit, chunks):
    found = 0
    step = limit // chunks
    for start in range(0, limit, step):
        found += len([n for n in range(start, start + step) if is_prime(n)])
        print(f"primes below {start + step:>6,}: {found}")
    return found


async def main():
    ticker = asyncio.create_task(clock(4))
    await asyncio.sleep(0)
    total = await count_primes(20_000, 2)
    await ticker
    print("total primes:", total)


asyncio.run(main())
