import asyncio
from asyncio import Queue


def describe(data: bytes | None, owner: object = None, kind: type = int) -> tuple[str, ...]:
    return ("data", "owner", "kind")


async def consumer(queue: Queue, seen: frozenset[int] | None = None) -> int:
    done: int
    total: float = 0.0
    while not queue.empty():
        total += await queue.get()
    try:
        print("done is", done)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    return int(total)


async def main():
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(5):
        queue.put_nowait(n * 1.5)
    print(describe(None))
    print("total", await consumer(queue))

    def later(order: "Order") -> "Receipt":
        return order

    print(later("a string annotation is never looked up"))

    async def handle(order: Order) -> None:
        print("never defined")


asyncio.run(main())
