# A build where tasks await other tasks they depend on: each target is a
# task, and a target starts compiling only after its dependencies finish.
import asyncio

DEPS = {"app": ["lib", "ui"], "ui": ["lib"], "lib": [], "tests": ["app"]}
COST = {"app": 0.1, "ui": 0.05, "lib": 0.08, "tests": 0.02}


async def build(target, tasks):
    for dep in DEPS[target]:
        await tasks[dep]
    print("compiling", target)
    await asyncio.sleep(COST[target])
    print("built", target)
    return target


async def main():
    tasks = {}
    for target in ["tests", "app", "ui", "lib"]:
        tasks[target] = asyncio.create_task(build(target, tasks))
    order = await asyncio.gather(*tasks.values())
    print("gathered in creation order:", order)
    print("lib result twice:", tasks["lib"].result(), await tasks["lib"])


asyncio.run(main())
