# Wrapping a low-level error in a clearer one with raise ... from ...;
# the caller only has to know about the new type.
import asyncio

SETTINGS = {"port": "80x", "host": "example.org", "retries": "3"}


async def read_setting(name):
    await asyncio.sleep(0.01)
    raw = SETTINGS[name]
    try:
        return int(raw)
    except ValueError as e:
        raise RuntimeError(f"setting {name!r} is not a number") from e


async def main():
    for name in ["retries", "port", "host"]:
        try:
            value = await read_setting(name)
            print(f"{name} = {value}")
        except RuntimeError as e:
            print("config problem:", e)
    print("done reading")


asyncio.run(main())
