# The polite way to handle cancellation: clean up, then re-raise with a
# bare raise so the task really ends up cancelled.
import asyncio


async def stream(name, chunks):
    sent = 0
    try:
        for c in chunks:
            await asyncio.sleep(0.1)
            sent += len(c)
    except asyncio.CancelledError:
        print(f"{name}: cancelled after {sent} bytes, flushing")
        raise
    finally:
        print(f"{name}: connection closed")
    return sent


async def main():
    chunks = ["abc", "defgh", "ij", "klmno"]
    full = asyncio.create_task(stream("full", chunks))
    cut = asyncio.create_task(stream("cut", chunks))
    await asyncio.sleep(0.25)
    cut.cancel()
    results = await asyncio.gather(full, cut, return_exceptions=True)
    print("full sent", results[0], "| cut:", type(results[1]).__name__)
    print("cut.cancelled() =", cut.cancelled())


asyncio.run(main())
