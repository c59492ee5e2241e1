# Visitors of two web pages tracked in sets; union, intersection and
# difference answer who saw what (printed sorted, since sets have no order).
import asyncio


async def track(page, seen, visits, delay):
    for user in visits:
        await asyncio.sleep(delay)
        seen.add(user)
    print(page, "had", len(seen), "unique visitors")
    return len(visits)


async def main():
    home = {"crawler"}
    shop = {"crawler"}
    hits = await asyncio.gather(
        track("home", home, ["al", "bea", "al", "cid", "dot"], 0.01),
        track("shop", shop, ["bea", "eve", "cid", "bea"], 0.015),
    )
    print("hits:", hits)
    for s in (home, shop):
        s.remove("crawler")
    print("either page:", sorted(home | shop))
    print("both pages:", sorted(home & shop))
    print("home only:", sorted(home - shop))
    home.discard("zed")
    home.discard("al")
    print("after discarding al:", sorted(home), "| 'al' in home:", "al" in home)
    try:
        shop.remove("zed")
    except KeyError as e:
        print("remove of a missing member raises KeyError", e)


asyncio.run(main())
