# Text progress bars built with string repetition, printed with custom
# sep and end, for three concurrent installs.
import asyncio

WIDTH = 10


def bar(done, total):
    filled = WIDTH * done // total
    return "[" + "#" * filled + "." * (WIDTH - filled) + "]"


async def install(pkg, steps, delay):
    for s in range(1, steps + 1):
        await asyncio.sleep(delay)
        print(pkg.ljust(8), bar(s, steps), f"{s}/{steps}", sep=" | ")
    return pkg


async def main():
    names = await asyncio.gather(install("numpy", 4, 0.03), install("rich", 2, 0.05), install("six", 1, 0.02))
    print("installed", end=": ")
    print(*names, sep=", ", end=".\n")
    print("=" * 20)


asyncio.run(main())
