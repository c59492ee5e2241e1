# asyncio.sleep can hand back a value: sleep(delay, result=x) returns x
# after the delay, which makes quick stand-ins for slow calls.
import asyncio
from asyncio import sleep, gather


async def fetch_price(item):
    prices = {"apple": 0.5, "bread": 2.25, "milk": 1.1}
    return await sleep(0.1, result=prices.get(item, 0.0))


async def main():
    x = await sleep(0.05, result="ready")
    print("sleep returned", repr(x))
    nothing = await sleep(0)
    print("plain sleep returns", nothing)
    items = ["apple", "bread", "milk", "jam"]
    prices = await gather(*(fetch_price(i) for i in items))
    for item, price in zip(items, prices):
        print(f"{item:<6}{price:>6.2f}")
    print("basket:", round(sum(prices), 2))


asyncio.run(main())
