# Parking garage with two spaces, modelled as a Semaphore(2): cars that
# arrive while it is full get in strictly in order of arrival.
import asyncio


async def car(plate, arrive, stay, log):
    await asyncio.sleep(arrive)
    print(f"{plate} arrives")
    async with garage:
        log.append(plate)
        print(f"  {plate} parks")
        await asyncio.sleep(stay)
    print(f"  {plate} leaves")


async def main():
    global garage
    garage = asyncio.Semaphore(2)
    log = []
    cars = [("AB-1", 0.0, 0.3), ("CD-2", 0.05, 0.1), ("EF-3", 0.1, 0.1), ("GH-4", 0.12, 0.2), ("IJ-5", 0.14, 0.05)]
    await asyncio.gather(*[car(p, a, s, log) for p, a, s in cars])
    print("parking order:", " -> ".join(log))


asyncio.run(main())
