# When main returns, asyncio.run cancels tasks that are still pending; the
# background saver gets to run its finally block at shutdown.
import asyncio


async def autosave(doc):
    saves = 0
    try:
        while True:
            await asyncio.sleep(0.1)
            saves += 1
            print(f"autosaved {doc} ({saves})")
    finally:
        print(f"autosave of {doc} stopped after {saves} saves")


async def main():
    asyncio.create_task(autosave("essay.md"))
    for word in ["typing", "more", "typing"]:
        await asyncio.sleep(0.12)
        print("user is", word)
    print("main returns")


asyncio.run(main())
