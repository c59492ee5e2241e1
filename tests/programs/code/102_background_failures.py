# Background jobs fail while main keeps going: the one whose exception is
# looked at is reported by main, the other is never retrieved.
import asyncio


async def resize(image, width):
    await asyncio.sleep(0.02)
    if width <= 0:
        raise ValueError(f"{image}: width must be positive")
    ratio = 1000 // width
    print(f"{image} resized, ratio {ratio}")
    return ratio


async def main():
    jobs = {"cat.png": 250, "dog.png": 0, "sky.png": 500, "sea.png": -5}
    tasks = [asyncio.create_task(resize(name, w)) for name, w in jobs.items()]
    await asyncio.sleep(0.05)
    checked = tasks[:2]
    for t in checked:
        exc = t.exception()
        print("checked:", "ok" if exc is None else exc)
    print("done:", [t.done() for t in tasks])


asyncio.run(main())
