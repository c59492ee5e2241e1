# A chat bot shows "typing..." dots while it composes a reply; the dots
# stop when the reply is ready, signalled by an Event.
import asyncio


async def dots(ready):
    n = 0
    while not ready.is_set():
        print("." * (n % 3 + 1))
        n += 1
        await asyncio.sleep(0.04)
    return n


async def compose(question, ready):
    await asyncio.sleep(0.1 + 0.01 * len(question))
    ready.set()
    return question.replace("?", "!").upper()


async def main():
    for q in ["how are you?", "why?"]:
        ready = asyncio.Event()
        shown, reply = await asyncio.gather(dots(ready), compose(q, ready))
        print(f"bot: {reply} (after {shown} dot frames)")


asyncio.run(main())
