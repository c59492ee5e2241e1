from __future__ import annotations
import asyncio
import random
from typing import Any, Awaitable, Callable, Optional

random.seed(3)
Job = "dict[str, Any]"


async def worker(name: str, queue: asyncio.Queue[Optional[dict[str, Any]]], results: list[tuple[str, int]]) -> None:
    while True:
        job: Optional[dict[str, Any]] = await queue.get()
        if job is None:
            queue.task_done()
            return
        await asyncio.sleep(job["cost"])
        results.append((name, job["id"]))
        queue.task_done()


async def timed(label: str, action: Callable[[], Awaitable[Any]]) -> Any:
    start: float = asyncio.get_running_loop().time()
    value = await action()
    print(f"{label} took {asyncio.get_running_loop().time() - start:.1f} s")
    return value


async def main() -> None:
    queue: asyncio.Queue = asyncio.Queue()
    results: list[tuple[str, int]] = []
    for i in range(6):
        queue.put_nowait({"id": i, "cost": random.choice([0.1, 0.2, 0.3])})
    workers = [asyncio.create_task(worker(f"w{n}", queue, results)) for n in range(2)]
    for _ in workers:
        queue.put_nowait(None)
    await timed("the queue", queue.join)
    await asyncio.gather(*workers)
    by_worker: dict[str, list[int]] = {}
    for name, job_id in results:
        by_worker.setdefault(name, []).append(job_id)
    print(by_worker)


asyncio.run(main())
