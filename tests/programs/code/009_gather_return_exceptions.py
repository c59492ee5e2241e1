# With return_exceptions=True, gather puts raised exceptions in the result
# list instead of raising the first one.
import asyncio


async def parse(text):
    await asyncio.sleep(0.01 * len(text))
    return int(text)


async def main():
    inputs = ["12", "x7", "40", "", "3"]
    results = await asyncio.gather(*[parse(s) for s in inputs], return_exceptions=True)
    good = []
    for text, r in zip(inputs, results):
        if isinstance(r, Exception):
            print(f"{text!r:>6} -> {type(r).__name__}: {r}")
        else:
            print(f"{text!r:>6} -> {r}")
            good.append(r)
    print("sum of good values:", sum(good))
    print("failures:", len([r for r in results if isinstance(r, ValueError)]))


asyncio.run(main())
