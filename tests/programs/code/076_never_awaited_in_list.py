# Coroutines built in a list but only some of them awaited: the others
# never run and are reported as never awaited.
import asyncio


async def notify(user):
    await asyncio.sleep(0.02)
    print("notified", user)
    return user


async def main():
    users = ["ana", "ben", "cleo", "dan"]
    jobs = [notify(u) for u in users]
    urgent = jobs[:2]
    done = await asyncio.gather(*urgent)
    print("urgent notifications:", done)
    print("skipped:", users[len(urgent):])


asyncio.run(main())
