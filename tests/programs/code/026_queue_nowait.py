# put_nowait and get_nowait never wait; checking full() and empty() first
# keeps them from raising.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=3)
    dropped = []
    for n in range(5):
        if q.full():
            dropped.append(n)
            continue
        q.put_nowait(n * n)
    print("queued", q.qsize(), "dropped", dropped)
    drained = []
    while not q.empty():
        drained.append(q.get_nowait())
        q.task_done()
    print("drained:", drained)
    await q.join()
    print("join returned at once, empty:", q.empty(), "full:", q.full())
    unbounded = asyncio.Queue()
    for word in "one two three".split():
        unbounded.put_nowait(word)
    print("unbounded full?", unbounded.full(), "size", unbounded.qsize())


asyncio.run(main())
