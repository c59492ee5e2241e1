# asyncio.wait with FIRST_COMPLETED returns as soon as one task finishes;
# the rest keep running and can be waited on again.
import asyncio


async def mirror(name, latency):
    await asyncio.sleep(latency)
    return f"{name} ({latency}s)"


async def main():
    tasks = [
        asyncio.create_task(mirror("eu", 0.3)),
        asyncio.create_task(mirror("us", 0.1)),
        asyncio.create_task(mirror("asia", 0.2)),
    ]
    pending = tasks
    rounds = 0
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        rounds += 1
        names = sorted(t.result() for t in done)
        print(f"round {rounds}: done {names}, still pending {len(pending)}")
    print("all results:", [t.result() for t in tasks])


asyncio.run(main())
