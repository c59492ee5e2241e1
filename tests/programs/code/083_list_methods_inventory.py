# An inventory list maintained by a restocking task and a sales task,
# using most list methods and slicing.
import asyncio


async def restock(shelf):
    await asyncio.sleep(0.05)
    shelf.extend(["pear", "fig"])
    shelf.insert(0, "kiwi")
    shelf.append("apple")
    print("restocked:", shelf)


async def sell(shelf, wanted):
    sold = []
    for item in wanted:
        await asyncio.sleep(0.03)
        if item in shelf:
            shelf.remove(item)
            sold.append(item)
        else:
            print("out of", item)
    return sold


async def main():
    shelf = ["apple", "plum", "apple", "lime"]
    backup = shelf.copy()
    _, sold = await asyncio.gather(restock(shelf), sell(shelf, ["apple", "fig", "fig", "melon"]))
    print("sold:", sold, "| apples left:", shelf.count("apple"))
    print("index of lime:", shelf.index("lime"), "| last:", shelf.pop(), "| first:", shelf.pop(0))
    shelf.sort()
    print("sorted:", shelf, "| every other:", shelf[::2], "| last two:", shelf[-2:])
    shelf.reverse()
    print("reversed:", shelf, "| backup untouched:", backup[1:3])


asyncio.run(main())
