# Three clocks from the time module measure the same waits; only the
# differences between readings are meaningful.
import asyncio
import time


async def measure(label, seconds):
    w0, m0, p0 = time.time(), time.monotonic(), time.perf_counter()
    await asyncio.sleep(seconds)
    w1, m1, p1 = time.time(), time.monotonic(), time.perf_counter()
    print(f"{label}: wall {w1 - w0:.2f} mono {m1 - m0:.2f} perf {p1 - p0:.2f}")
    return round(m1 - m0, 2)


async def main():
    spans = []
    for label, s in [("short", 0.1), ("longer", 0.3)]:
        spans.append(await measure(label, s))
    print("spans:", spans)
    t = time.monotonic()
    time.sleep(0.05)
    print("blocking sleep:", round(time.monotonic() - t, 2))


asyncio.run(main())
