import asyncio


async def download(name, seconds):
    try:
        await asyncio.sleep(seconds)
        return f"{name} done"
    except asyncio.CancelledError as e:
        print(f"{name} stopped: {e.args}")
        raise


async def stubborn():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as e:
        print("stubborn ignores", repr(e))
    await asyncio.sleep(0.2)
    return "stubborn finished anyway"


async def supervisor(worker):
    try:
        return await worker
    except asyncio.CancelledError as e:
        print("supervisor saw", repr(e))
        raise


async def main():
    slow = asyncio.create_task(download("slow", 3))
    await asyncio.sleep(0.5)
    print("cancel says", slow.cancel("user pressed stop"))
    try:
        await slow
    except asyncio.CancelledError as e:
        print("main saw", repr(e), "cancelled:", slow.cancelled())

    early = asyncio.create_task(download("early", 1))
    early.cancel(msg="not needed after all")
    try:
        await early
    except asyncio.CancelledError as e:
        print("early:", e)

    st = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    st.cancel("please stop")
    print(await st)

    inner = asyncio.create_task(download("inner", 2))
    outer = asyncio.create_task(supervisor(inner))
    await asyncio.sleep(0.1)
    outer.cancel("shutting down")
    await asyncio.sleep(0)
    print("inner cancelled:", inner.cancelled(), "outer done:", outer.done())

    both = asyncio.gather(download("a", 1), download("b", 2))
    await asyncio.sleep(0.1)
    both.cancel("gather stopped")
    try:
        await both
    except asyncio.CancelledError as e:
        print("gather:", repr(e))

    last = asyncio.create_task(download("last", 4))
    await asyncio.sleep(0.3)
    last.cancel("the end")
    await last


asyncio.run(main())
