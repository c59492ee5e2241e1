# A three-stage pipeline joined by queues: read -> transform -> write.
# None flows through the stages to shut them down.
import asyncio


async def reader(lines, out):
    for line in lines:
        await out.put(line)
        await asyncio.sleep(0.01)
    await out.put(None)


async def transformer(inq, outq):
    while (line := await inq.get()) is not None:
        words = line.strip().split()
        await asyncio.sleep(0.02)
        await outq.put(" ".join(w.title() for w in words))
    await outq.put(None)


async def writer(inq):
    written = []
    while True:
        line = await inq.get()
        if line is None:
            break
        written.append(line)
        print(f"{len(written)}: {line}")
    return written


async def main():
    text = ["  the quick fox ", "jumps over", " the lazy dog"]
    q1, q2 = asyncio.Queue(), asyncio.Queue()
    _, _, out = await asyncio.gather(reader(text, q1), transformer(q1, q2), writer(q2))
    print("lines written:", len(out))


asyncio.run(main())
