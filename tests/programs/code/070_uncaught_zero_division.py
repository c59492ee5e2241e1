# Averages of sensor readings; an empty batch divides by zero and the
# uncaught ZeroDivisionError ends the run.
import asyncio


async def read_sensor(name, values):
    await asyncio.sleep(0.05)
    return name, values


async def main():
    batches = await asyncio.gather(
        read_sensor("kitchen", [20.5, 21.0, 21.5]),
        read_sensor("garage", [12.0, 11.5]),
        read_sensor("attic", []),
    )
    for name, values in batches:
        average = sum(values) / len(values)
        print(f"{name:>8}: {average:.2f} from {len(values)} readings")


asyncio.run(main())
