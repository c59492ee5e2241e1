# A download shows progress dots with print(..., end="") while another task
# prints whole lines; numbers on one line with end=" ", and sep= with end=.
import asyncio


async def download(size):
    print("downloading", end="")
    for _ in range(size):
        await asyncio.sleep(0.1)
        print(".", end="")
    print(" done")
    return size


async def chatter():
    await asyncio.sleep(0.25)
    print("[chatter] still here")


async def main():
    for i in range(5):
        print(i, end=" ")
    print()
    print("a", "b", sep="-", end="|")
    print("c", end="\n\n")
    got, _ = await asyncio.gather(download(4), chatter())
    print(f"got {got} chunks", end="")


asyncio.run(main())
