# An Event that is already set lets wait() return at once; clear() resets
# it so the next wait() blocks again until someone sets it.
import asyncio


async def waiter(ev, label):
    print(label, "waiting")
    ok = await ev.wait()
    print(label, "passed, wait returned", ok)


async def main():
    ev = asyncio.Event()
    ev.set()
    await waiter(ev, "early bird")
    ev.clear()
    print("cleared; is_set =", ev.is_set())
    late = asyncio.create_task(waiter(ev, "late bird"))
    await asyncio.sleep(0.1)
    print("late bird done?", late.done())
    ev.set()
    await late
    ev.set()
    print("setting twice is fine:", ev.is_set())


asyncio.run(main())
