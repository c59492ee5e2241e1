import asyncio


async def fetch(url, delay):
    await asyncio.sleep(delay)
    if "bad" in url:
        raise ValueError(f"cannot fetch {url}")
    return len(url)


sizes = await asyncio.gather(fetch("a.example", 0.2), fetch("bb.example", 0.1))
print("sizes", sizes)
try:
    await fetch("bad.example", 0.3)
except ValueError as e:
    print("caught:", e)
leftover = asyncio.create_task(fetch("late.example", 1))
await fetch("bad.example/again", 0.1)
print("never printed")
