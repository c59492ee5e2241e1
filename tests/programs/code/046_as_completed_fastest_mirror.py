# Take the first answer from as_completed and cancel the slower mirrors
# instead of waiting for them.
import asyncio


async def download(mirror, delay):
    try:
        await asyncio.sleep(delay)
        return mirror
    except asyncio.CancelledError:
        print(f"  {mirror} stopped")
        raise


async def main():
    mirrors = {"tokyo": 0.35, "paris": 0.15, "lima": 0.25}
    tasks = [asyncio.create_task(download(m, d)) for m, d in mirrors.items()]
    for fut in asyncio.as_completed(tasks):
        winner = await fut
        print("fastest mirror:", winner)
        break
    for t in tasks:
        if not t.done():
            t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print([r if isinstance(r, str) else type(r).__name__ for r in results])


asyncio.run(main())
