# A validation error that nobody catches escapes asyncio.run and ends the
# program with a traceback.
import asyncio


async def parse_age(text):
    await asyncio.sleep(0.01)
    text = text.strip()
    if text == "":
        raise ValueError("empty input")
    age = int(text)
    if age < 0:
        raise ValueError("bad input")
    return age


async def main():
    for text in ["42", " 7 ", "-3", "19"]:
        age = await parse_age(text)
        print("age:", age)
    print("not reached")


asyncio.run(main())
