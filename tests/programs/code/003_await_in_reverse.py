# Tasks created in a loop and then awaited in reverse order: the awaiting
# order does not change when each one finishes.
import asyncio
import time


async def job(label, seconds):
    await asyncio.sleep(seconds)
    print(f"{label} finished")
    return label.upper()


async def main():
    start = time.monotonic()
    specs = [("a", 0.3), ("b", 0.1), ("c", 0.2)]
    tasks = [asyncio.create_task(job(label, s)) for label, s in specs]
    results = []
    for task in tasks[::-1]:
        results.append(await task)
        print(f"  got {results[-1]} at {time.monotonic() - start:.1f}s")
    print("results:", results)
    print("all done:", all(t.done() for t in tasks))


asyncio.run(main())
