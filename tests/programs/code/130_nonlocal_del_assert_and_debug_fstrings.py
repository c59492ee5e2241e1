# A rate limiter kept in a closure (nonlocal), a cache trimmed with del, checks
# with assert, and f"{x=}" to show values while tasks run.
import asyncio


def make_limiter(per_tick):
    used = 0

    def take():
        nonlocal used
        if used >= per_tick:
            return False
        used += 1
        return True

    def refill():
        nonlocal used
        used = 0

    return take, refill


async def client(name, take, log):
    tries = 0
    while not take():
        tries += 1
        await asyncio.sleep(0.1)
    log.append(name)
    print(f"{name=} got in after {tries=}")


async def main():
    take, refill = make_limiter(2)
    log = []
    tasks = [asyncio.create_task(client(n, take, log)) for n in "abcde"]
    for tick in range(3):
        await asyncio.sleep(0.15)
        refill()
        print(f"{tick = }, {len(log) = :>3}")
    await asyncio.gather(*tasks)
    assert sorted(log) == list("abcde"), log
    cache = {n: i for i, n in enumerate(log)}
    del cache[log[0]], cache[log[-1]]
    order = list(cache)
    del order[::2]
    print(f"{cache=!s} {order=}")
    temp = 1.5
    del temp
    try:
        print(temp)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    try:
        assert len(log) > 5, f"only {len(log)} clients"
    except AssertionError as e:
        print("AssertionError:", e)
    assert log, "no clients at all"
    assert len(cache) == 4, f"{len(cache)=}"


asyncio.run(main())
