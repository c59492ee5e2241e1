# ALL_COMPLETED (the default) with a timeout: wait returns what finished
# in time and leaves the slow ones pending, without cancelling them.
import asyncio


async def build(target, seconds):
    await asyncio.sleep(seconds)
    return target


async def main():
    jobs = {"lib": 0.1, "app": 0.25, "docs": 0.6, "tests": 0.4}
    tasks = [asyncio.create_task(build(t, s)) for t, s in jobs.items()]
    done, pending = await asyncio.wait(tasks, timeout=0.3, return_when=asyncio.ALL_COMPLETED)
    print("built in time:", sorted(t.result() for t in done))
    print("still building:", len(pending))
    late = [t for t in tasks if t in pending]
    done2, pending2 = await asyncio.wait(late)
    print("built later:", sorted(t.result() for t in done2), "left:", len(pending2))
    all_done, none_left = await asyncio.wait(tasks, timeout=0)
    print(len(all_done), "done,", len(none_left), "pending")


asyncio.run(main())
