# Two children of a TaskGroup fail at the same moment: the group's error
# counts both sub-exceptions.
import asyncio


async def validate(field, value, delay):
    await asyncio.sleep(delay)
    if not value:
        raise ValueError(f"{field} is empty")
    print(field, "ok")


async def main():
    form = {"name": "Ada", "email": "", "city": "", "zip": "12345"}
    try:
        async with asyncio.TaskGroup() as tg:
            for field, value in form.items():
                tg.create_task(validate(field, value, 0.05))
    except Exception as e:
        print(type(e).__name__ + ":", e)
    print("form checked")


asyncio.run(main())
