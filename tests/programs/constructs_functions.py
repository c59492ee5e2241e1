import asyncio


def add(a, b=2, c=3):
    return a + b + c


async def worker(name, delay=0.5):
    await asyncio.sleep(delay)
    return f'{name} done'


async def main():
    r = add(1, c=5)
    res = await asyncio.gather(worker('a'), worker('b', 1), return_exceptions=True)
    task = asyncio.create_task(worker('c'))
    print(*res, sep=', ', end='\n')
    args = [1, 2]
    print(add(*args))
    square = lambda v: v * v
    pick = lambda: 42
    both = lambda p, q=1: p + q
    value = square(3) if r > 3 else pick()
    return await task


asyncio.run(main())
