# Typos a learner makes, caught by their exact exception names:
# NameError for a misspelt variable, AttributeError for a misspelt method.
import asyncio


async def shout(words):
    await asyncio.sleep(0.01)
    try:
        return [w.uper() for w in words]
    except AttributeError as e:
        print("AttributeError:", e)
        return [w.upper() for w in words]


async def tally(points):
    await asyncio.sleep(0.01)
    try:
        return sum(point) + 1
    except NameError as e:
        print("NameError:", e)
        return sum(points)


async def main():
    loud, total = await asyncio.gather(shout(["hey", "you"]), tally([3, 4, 5]))
    print(loud, total)
    try:
        result = {"a": 1}["b"]
    except (NameError, AttributeError):
        print("not this one")
    except KeyError as e:
        print("KeyError:", e, "- repr", repr(e))


asyncio.run(main())
