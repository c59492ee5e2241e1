# A helper defined inside main is called with an argument missing: the
# TypeError names it by its qualified name, main.<locals>.label, and ends the
# program after the other task has printed.
import asyncio


async def main():
    def label(name, count):
        return f"{name}: {count}"

    async def ticker():
        for i in range(3):
            print(label("tick", i))
            await asyncio.sleep(0.1)

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0.25)
    print(label("waited"))
    await t


asyncio.run(main())
