# Pairing players with the scores their tasks return, strictly (zip refuses
# lists of different lengths), and the classic mistake of changing a set while
# looping over it, which CPython stops.
import asyncio


async def play(name, delay):
    await asyncio.sleep(delay)
    return len(name) * 10


async def main():
    players = ["ann", "bo", "cyd"]
    scores = await asyncio.gather(*(play(p, 0.1 * len(p)) for p in players))
    print(list(zip(players, scores, strict=True)))
    try:
        print(list(zip(players, scores[:2], strict=True)))
    except ValueError as e:
        print("ValueError:", e)
    try:
        print(dict(zip(players[:1], scores, strict=True)))
    except ValueError as e:
        print("ValueError:", e)
    online = {1, 2, 3}
    try:
        for p in online:
            if p % 2:
                online.remove(p)
    except RuntimeError as e:
        print("RuntimeError:", e, len(online))
    online = {1, 2, 3}
    for p in list(online):
        if p % 2:
            online.remove(p)
    print(online)


asyncio.run(main())
