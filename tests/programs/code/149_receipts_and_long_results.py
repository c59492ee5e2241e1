import asyncio

ITEMS = [("coffee", 2, 3.5), ("croissant", 3, 2.25), ("juice", 1, 4.0)]


async def price_list(delay):
    await asyncio.sleep(delay)
    return {name: price for name, _, price in ITEMS}


async def main():
    loop = asyncio.get_running_loop()
    pending = loop.create_future()
    prices = await price_list(0.1)
    width = max(len(name) for name in prices)
    for name, qty, price in ITEMS:
        row = {"name": name, "qty": qty, "price": price, "total": qty * price}
        print("%-*s x%d %6.2f %7.2f" % (width, name, qty, price, qty * price))
        print("  (%(name)s: %(qty)d at %(price).2f makes %(total)05.1f)" % row)
    print("%(n)s items, first %(first)r" % {"n": len(ITEMS), "first": ITEMS[0][0]})
    print("%c%c%c" % (0x2615, ord(" "), "!"), "%a" % "café")
    print("%.*f|%*d|%-*d|" % (3, 3.14159, 6, 42, 4, 7))
    pending.set_result(list(range(20)))
    print(pending)
    summary = loop.create_future()
    summary.set_result({name: qty for name, qty, _ in ITEMS} | {"tea": 1, "water": 2})
    print(summary)
    note = loop.create_future()
    note.set_result("thank you for shopping with us, see you soon")
    print(note)
    for bad in ("%(missing)s", "%c", "%(name)s %(qty)d"):
        try:
            print(bad % ("ab" if bad == "%c" else {"name": "x"}))
        except (KeyError, TypeError) as e:
            print(type(e).__name__, e)


asyncio.run(main())
