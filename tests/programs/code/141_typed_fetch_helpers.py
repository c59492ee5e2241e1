import asyncio
import random

random.seed(7)

LATENCY: dict[str, float] = {"api": 0.3, "cdn": 0.1, "db": 0.2}
attempts: int = 0


async def fetch(name: str, /, *, retries: int = 2, backoff: float = 0.05) -> str:
    global attempts
    for attempt in range(1, retries + 1):
        attempts += 1
        await asyncio.sleep(LATENCY[name] * attempt)
        if random.random() > 0.4:
            return f"{name} ok after {attempt} try(s)"
        await asyncio.sleep(backoff)
    raise TimeoutError(f"{name} gave up after {retries}")


async def run_all(*names: str, label: str = "batch", **options: int) -> list[str | BaseException]:
    print(f"{label}: {len(names)} sources, options {options}")
    return await asyncio.gather(*(fetch(n, **options) for n in names), return_exceptions=True)


def summary(results: list, *extra: str, sep: str = "; ") -> str:
    parts = [str(r) for r in results] + list(extra)
    return sep.join(parts)


async def main() -> None:
    pending: list[asyncio.Task]
    results = await run_all("api", "cdn", "db", label="first", retries=3)
    print(summary(results, f"{attempts} attempts"))
    for call in (
        lambda: fetch(name="api"),
        lambda: fetch("api", 3),
        lambda: summary(),
        lambda: summary([], sep="|", end="."),
    ):
        try:
            call()
        except TypeError as e:
            print("TypeError:", e)
    print(summary([1, 2], "three", sep=" + "))


asyncio.run(main())
