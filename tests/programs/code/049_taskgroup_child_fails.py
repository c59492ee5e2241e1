# When one child of a TaskGroup fails, its siblings are cancelled and the
# group raises an exception group, caught here as a plain Exception.
import asyncio


async def upload(part, seconds, broken=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"part {part} cancelled")
        raise
    if broken:
        raise RuntimeError(f"part {part} lost")
    print(f"part {part} uploaded")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(upload(1, 0.1))
            tg.create_task(upload(2, 0.2, broken=True))
            tg.create_task(upload(3, 0.5))
    except Exception as e:
        print("upload failed:", type(e).__name__)
        print("message:", e)
    print("main carries on")


asyncio.run(main())
