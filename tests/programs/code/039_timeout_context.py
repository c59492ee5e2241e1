# async with asyncio.timeout(...) limits a whole block; TimeoutError is
# raised at the end of the block only when the deadline was hit.
import asyncio


async def step(name, seconds):
    await asyncio.sleep(seconds)
    print("  finished", name)


async def run_steps(limit, steps):
    try:
        async with asyncio.timeout(limit):
            for name, s in steps:
                await step(name, s)
        print(f"limit {limit}: all steps done")
    except TimeoutError:
        print(f"limit {limit}: ran out of time")


async def main():
    plan = [("boil", 0.05), ("steep", 0.1), ("pour", 0.025)]
    await run_steps(0.25, plan)
    await run_steps(0.12, plan)
    async with asyncio.timeout(None):
        await step("no limit", 0.05)
    print("done")


asyncio.run(main())
