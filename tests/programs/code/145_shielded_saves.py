import asyncio

uploads = asyncio.BoundedSemaphore(2)


async def upload(name: str, seconds: float) -> str:
    async with uploads:
        print(f"upload {name} starts")
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            print(f"upload {name} cancelled")
            raise
        print(f"upload {name} done")
        return name


async def save_all(names):
    # The saving must finish even if the caller stops waiting.
    saving = asyncio.create_task(asyncio.wait_for(asyncio.gather(*(upload(n, 0.4) for n in names)), 5))
    try:
        return await asyncio.wait_for(asyncio.shield(saving), timeout=0.5)
    except TimeoutError:
        print("the caller stops waiting; the saves go on")
        return await saving


async def main():
    print(await save_all(["a", "b", "c"]))
    plain = asyncio.create_task(upload("plain", 1))
    shielded = asyncio.create_task(upload("shielded", 1))
    waiters = [
        asyncio.create_task(asyncio.wait_for(plain, 0.3)),
        asyncio.create_task(asyncio.wait_for(asyncio.shield(shielded), 0.3)),
    ]
    for w in waiters:
        try:
            await w
        except TimeoutError:
            print("timed out")
    await asyncio.sleep(1)
    print("plain:", plain.cancelled(), "shielded:", shielded.result())
    try:
        uploads.release()
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
