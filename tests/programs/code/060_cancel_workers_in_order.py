# Cancelling a list of sleeping workers one after another: each handles
# its CancelledError in the order cancel() was called.
import asyncio


async def guard(post):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("guard at", post, "goes home")
        raise


async def main():
    posts = ["north", "east", "south", "west"]
    guards = [asyncio.create_task(guard(p)) for p in posts]
    await asyncio.sleep(0.1)
    for g in guards[::-1]:
        g.cancel()
    outcomes = await asyncio.gather(*guards, return_exceptions=True)
    print(all(isinstance(o, asyncio.CancelledError) for o in outcomes))
    print("states:", ["cancelled" if g.cancelled() else "other" for g in guards])


asyncio.run(main())
