# A background task fails and nobody awaits it: the program goes on, and
# CPython only logs "Task exception was never retrieved" to stderr.
import asyncio


async def send_email(to):
    await asyncio.sleep(0.05)
    if "@" not in to:
        raise ValueError(f"bad address: {to}")
    print("sent mail to", to)


async def main():
    for to in ["ann@example.org", "nobody", "bo@example.org"]:
        asyncio.create_task(send_email(to))
    await asyncio.sleep(0.1)
    print("main finished without looking at the mail tasks")


asyncio.run(main())
