# Two tasks hand control back and forth with sleep(0): each sleep(0)
# lets every other ready task take one step.
import asyncio


async def player(name, rounds):
    for i in range(rounds):
        print(f"{name} {i}")
        await asyncio.sleep(0)
    print(name, "is tired")


async def main():
    ping = asyncio.create_task(player("ping", 3))
    pong = asyncio.create_task(player("pong", 4))
    await ping
    print("ping finished, pong done?", pong.done())
    await pong
    print("pong done?", pong.done())


asyncio.run(main())
