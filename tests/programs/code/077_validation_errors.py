# Validating orders with isinstance and raising ValueError or TypeError,
# then summarising which orders were rejected and why.
import asyncio


def validate(order):
    qty, price = order.get("qty"), order.get("price")
    if not isinstance(qty, int):
        raise TypeError(f"qty must be an int, got {type(qty).__name__}")
    if qty <= 0:
        raise ValueError(f"qty must be positive, got {qty}")
    if not isinstance(price, (int, float)):
        raise TypeError("price missing")
    return qty * price


async def process(i, order, rejected):
    await asyncio.sleep(0.01 * i)
    try:
        total = validate(order)
    except (TypeError, ValueError) as e:
        rejected[type(e).__name__] = rejected.get(type(e).__name__, 0) + 1
        print(f"order {i} rejected: {e}")
        return 0
    print(f"order {i} ok: {total:.2f}")
    return total


async def main():
    orders = [{"qty": 2, "price": 3.5}, {"qty": "2", "price": 1}, {"qty": 0, "price": 9},
              {"qty": 5}, {"qty": 1, "price": 10}]
    rejected = {}
    totals = await asyncio.gather(*[process(i, o, rejected) for i, o in enumerate(orders)])
    print("revenue:", sum(totals), "rejected:", rejected)


asyncio.run(main())
