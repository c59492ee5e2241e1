# A learner's typo ends the program: the NameError's last line carries the hint
# CPython's traceback gives (the closest name in sight, and a module it may
# have meant to import), after the tasks that ran have printed.
import asyncio


async def fetch(url, delay):
    await asyncio.sleep(delay)
    return f"<{url}>"


async def main():
    pages = await asyncio.gather(fetch("a", 0.2), fetch("b", 0.1))
    print(pages)
    try:
        print(pagez)
    except NameError as e:
        print("caught:", e)
    tim = 0.1
    try:
        time.sleep(tim)
    except NameError as e:
        print("caught:", e)
    total = len(pages)
    print(totl)


asyncio.run(main())
