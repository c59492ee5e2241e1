# Stock counts updated by delivery tasks while a view of the dict, taken
# once, shows every change: keys(), values() and items() print and behave as
# CPython's views.
import asyncio


async def deliver(stock, item, qty, delay):
    await asyncio.sleep(delay)
    stock[item] = stock.get(item, 0) + qty
    print(f"delivered {qty} {item}")


async def main():
    stock = {"tea": 2, "jam": 0}
    names, counts, pairs = stock.keys(), stock.values(), stock.items()
    print(names, counts, pairs)
    await asyncio.gather(
        deliver(stock, "jam", 5, 0.2),
        deliver(stock, "cake", 1, 0.1),
        deliver(stock, "tea", 3, 0.3),
    )
    print(names, len(names), "cake" in names, 8 in counts, ("jam", 5) in pairs)
    print(sorted(pairs, key=lambda kv: -kv[1]), sum(counts), max(names))
    empty = [k for k, v in stock.items() if v == 0]
    print("empty:", empty, type(pairs).__name__, list(counts))


asyncio.run(main())
