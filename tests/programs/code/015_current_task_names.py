# asyncio.current_task() tells a coroutine which task runs it; tasks get
# default names Task-1, Task-2, ... unless given one with name=.
import asyncio


async def report(tag):
    me = asyncio.current_task()
    print(f"{tag}: running in {me.get_name()}")
    await asyncio.sleep(0.01)
    return me.get_name()


async def main():
    print("main runs in", asyncio.current_task().get_name())
    a = asyncio.create_task(report("first"))
    b = asyncio.create_task(report("second"), name="helper")
    c = asyncio.create_task(report("third"))
    names = await asyncio.gather(a, b, c)
    print("names:", names)
    same = await report("inline")
    print("awaited directly it stays in", same)


asyncio.run(main())
