# map, filter, zip and enumerate make each item when the loop asks for it,
# so a function given to map runs between the loop's own prints, and a
# loop that breaks early leaves the rest uncalled.
import asyncio
import random


def fetch_price(item):
    print("  pricing", item)
    return len(item) * 3


async def restock(item, qty):
    await asyncio.sleep(qty / 10 + len(item) / 1000)
    print("restocked", item)
    return qty


async def main():
    items = ["tea", "coffee", "cocoa", "mate", "rooibos"]
    prices = map(fetch_price, items)
    print("prices made:", type(prices).__name__)
    for item, price in zip(items, prices):
        print(item, "costs", price)
        if price > 15:
            print("too dear, stop")
            break
    cheap = filter(lambda p: p < 13, map(fetch_price, items))
    print("first cheap:", next(cheap))
    random.seed(7)
    qtys = [random.randint(1, 5) for _ in items]
    jobs = map(restock, items, qtys)
    print("jobs:", type(jobs).__name__)
    got = await asyncio.gather(*jobs)
    print("got", got, "of", qtys)
    for n, (item, qty) in enumerate(zip(items, got), start=1):
        print(n, item, qty)
    pairs = enumerate(map(fetch_price, ["x", "yy"]))
    print("pairs made")
    print(list(pairs), list(pairs))
    print(max(map(fetch_price, ["a", "bbb", "cc"])), min(zip(qtys, items)))
    print(list(zip()), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])))


asyncio.run(main())
