# A chat room: every user has an inbox queue, messages are broadcast to
# the others, and an Event closes the room.
import asyncio


async def user(name, inboxes, closed, script):
    for delay, text in script:
        await asyncio.sleep(delay)
        for other, box in inboxes.items():
            if other != name:
                box.put_nowait(f"{name}: {text}")
    await closed.wait()
    heard = []
    while not inboxes[name].empty():
        heard.append(inboxes[name].get_nowait())
    print(f"{name} heard {len(heard)}:", " | ".join(heard))


async def main():
    names = ["amy", "ben", "cat"]
    inboxes = {n: asyncio.Queue() for n in names}
    closed = asyncio.Event()
    scripts = {
        "amy": [(0.1, "hi all"), (0.2, "bye")],
        "ben": [(0.15, "hey amy")],
        "cat": [],
    }
    tasks = [asyncio.create_task(user(n, inboxes, closed, scripts[n])) for n in names]
    await asyncio.sleep(0.5)
    print("closing the room")
    closed.set()
    await asyncio.gather(*tasks)


asyncio.run(main())
