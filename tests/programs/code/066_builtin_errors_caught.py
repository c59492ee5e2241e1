# Python raises its own exceptions for common slips; each one is caught
# and shown by class name and message.
import asyncio


def slip(n):
    data = {"a": 1}
    items = [1, 2, 3]
    if n == 0:
        return 1 / 0
    elif n == 1:
        return data["missing"]
    elif n == 2:
        return items[10]
    elif n == 3:
        return int("x")
    elif n == 4:
        return undefined_name
    elif n == 5:
        return None.upper()
    elif n == 6:
        return "total: " + 5
    return "no slip"


async def main():
    for n in range(8):
        await asyncio.sleep(0)
        try:
            print(n, "->", slip(n))
        except Exception as e:
            print(f"{n} -> {type(e).__name__}: {e}")


asyncio.run(main())
