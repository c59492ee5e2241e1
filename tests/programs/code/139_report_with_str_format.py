# A report built with str.format while downloads finish: keyword and indexed
# fields, a width taken from an argument, and the errors a learner meets
# (unpacking a number, mixing field numbering, a sequence times a float).
import asyncio


async def fetch(name, size, delay):
    await asyncio.sleep(delay)
    return {"name": name, "size": size, "parts": [size // 2, size - size // 2]}


async def main():
    results = await asyncio.gather(fetch("a.bin", 300, 0.2), fetch("b.bin", 45, 0.1))
    width = max(len(r["name"]) for r in results) + 2
    for r in results:
        print("{name:<{w}}|{size:>6,}|{0[parts][0]}+{0[parts][1]}".format(r, w=width, **r))
    print("{} of {} done, {!r}".format(len(results), 2, "ok"))
    for attempt in [lambda: "{} {1}".format(1, 2), lambda: "{missing}".format(), lambda: [0] * 1.5]:
        try:
            attempt()
        except (ValueError, KeyError, TypeError) as e:
            print(type(e).__name__, e)
    try:
        first, second = len(results)
    except TypeError as e:
        print("TypeError:", e)
    print(max(), "never printed")


asyncio.run(main())
