# A heartbeat task runs beside the real work and is cancelled when the
# work finishes; the heartbeat returns its beat count on cancellation.
import asyncio


async def heartbeat(interval):
    beats = 0
    try:
        while True:
            await asyncio.sleep(interval)
            beats += 1
            print("  <3", beats)
    except asyncio.CancelledError:
        return beats


async def work(steps):
    for s in range(1, steps + 1):
        await asyncio.sleep(0.07)
        print("work step", s)


async def main():
    hb = asyncio.create_task(heartbeat(0.05))
    await work(3)
    hb.cancel()
    beats = await hb
    print("heart beat", beats, "times; cancelled() =", hb.cancelled())


asyncio.run(main())
