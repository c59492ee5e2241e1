# Forgetting await: calling an async function only makes a coroutine
# object; its body never runs and CPython warns it was never awaited.
import asyncio


async def save(record):
    await asyncio.sleep(0.01)
    print("saved", record)


async def main():
    save("first")
    print("called save without await")
    await save("second")
    print("awaited the second one")


asyncio.run(main())
