# wait_for with a generous timeout simply returns the coroutine's result;
# in 3.12 the coroutine runs inside the caller's own task.
import asyncio


async def lookup(user, delay):
    await asyncio.sleep(delay)
    return {"id": len(user), "name": user.title()}


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    profile = await asyncio.wait_for(lookup("grace", 0.1), timeout=1.0)
    print("profile:", profile)
    print("name" in profile, profile.get("email", "no email"))
    again = await asyncio.wait_for(lookup("alan", 0.2), 0.5)
    print(f"{again['name']} found after {loop.time() - t0:.2f}s")
    instant = await asyncio.wait_for(asyncio.sleep(0, result="instant"), None)
    print("no timeout at all:", instant)


asyncio.run(main())
