# At shutdown asyncio.run cancels a still-running task; this one catches
# the cancellation, reports what it had done, and returns quietly.
import asyncio


async def indexer(files):
    indexed = []
    try:
        for f in files:
            await asyncio.sleep(0.1)
            indexed.append(f)
        return indexed
    except asyncio.CancelledError:
        print(f"indexer stopped at shutdown with {len(indexed)} of {len(files)} files")
        return indexed


async def main():
    files = [f"doc{i}.txt" for i in range(6)]
    task = asyncio.create_task(indexer(files))
    await asyncio.sleep(0.25)
    print("main is finished; indexer done?", task.done())


asyncio.run(main())
