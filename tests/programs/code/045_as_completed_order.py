# as_completed hands back results in the order they finish, whatever the
# order the tasks were given in.
import asyncio


async def quote(shop, price, delay):
    await asyncio.sleep(delay)
    return shop, price


async def main():
    offers = [("alpha", 19.99, 0.3), ("beta", 17.5, 0.1), ("gamma", 21.0, 0.2), ("delta", 18.25, 0.15)]
    tasks = [asyncio.create_task(quote(*o)) for o in offers]
    best = None
    for i, fut in enumerate(asyncio.as_completed(tasks), start=1):
        shop, price = await fut
        print(f"{i}. {shop:<6} {price:>6.2f}")
        if best is None or price < best[1]:
            best = (shop, price)
    print("best offer: %s at %.2f" % best)


asyncio.run(main())
