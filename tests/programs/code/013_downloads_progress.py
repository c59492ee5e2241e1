# Simulated downloads in chunks; each one reports progress with aligned
# columns and thousands separators.
import asyncio
from asyncio import sleep, gather

CHUNK = 250_000


async def download(name, size, speed):
    received = 0
    while received < size:
        await sleep(0.1 / speed)
        received = min(size, received + CHUNK)
        pct = 100 * received / size
        print(f"{name:>10} {received:>10,} / {size:,} bytes {pct:5.1f}%")
    return size


async def main():
    files = [("photo.jpg", 500_000, 2), ("video.mp4", 1_000_000, 4), ("notes.txt", 120_000, 1)]
    sizes = await gather(*(download(n, s, v) for n, s, v in files))
    print(f"total: {sum(sizes):,} bytes in {len(sizes)} files")


asyncio.run(main())
