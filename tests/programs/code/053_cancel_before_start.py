# A task cancelled before it ever ran: its body never starts, not even
# the first print.
import asyncio


async def greet(name):
    print("hello", name)
    await asyncio.sleep(0.1)
    return name


async def main():
    early = asyncio.create_task(greet("early"))
    normal = asyncio.create_task(greet("normal"))
    early.cancel()
    print("cancel requested; early done?", early.done())
    await asyncio.sleep(0)
    print("after one turn: early done?", early.done(), "cancelled?", early.cancelled())
    print("normal result:", await normal)
    try:
        early.result()
    except asyncio.CancelledError:
        print("result() of a cancelled task raises CancelledError")


asyncio.run(main())
