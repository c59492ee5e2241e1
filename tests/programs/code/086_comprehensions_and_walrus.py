# Comprehensions of every kind, a generator expression passed to sum, and
# the walrus operator reading from a queue in a while loop.
import asyncio


async def measure(n):
    await asyncio.sleep(0.01 * (n % 3))
    return n * n


async def main():
    squares = await asyncio.gather(*[measure(n) for n in range(1, 9)])
    evens = [s for s in squares if s % 2 == 0]
    by_digit = {s: len(str(s)) for s in squares}
    last_digits = {s % 10 for s in squares}
    print("squares:", squares)
    print("evens:", evens)
    print("digits:", by_digit)
    print("last digits:", sorted(last_digits))
    print("sum of cubes of 1..5:", sum(x ** 3 for x in range(1, 6)))
    print("any over 50?", any(s > 50 for s in squares), "all positive?", all(s > 0 for s in squares))
    q = asyncio.Queue()
    for s in squares[:4]:
        q.put_nowait(s)
    q.put_nowait(0)
    while (item := await q.get()) != 0:
        print("item", item, end="; ")
    print("stop")
    pairs = [(a, b) for a in range(3) for b in range(a)]
    print("pairs:", pairs)


asyncio.run(main())
