import asyncio
import random

random.seed(11)


async def request(host, attempt):
    await asyncio.sleep(0.1 * attempt)
    roll = random.random()
    if roll < 0.25:
        raise ConnectionResetError(f"{host}: connection reset")
    if roll < 0.4:
        raise ConnectionRefusedError(f"{host}: refused")
    if roll < 0.5:
        raise TimeoutError(f"{host}: no answer")
    return f"{host}: 200 OK"


async def fetch(host, *, tries=3, **log_options):
    prefix = log_options.get("prefix", "")
    for attempt in range(1, tries + 1):
        try:
            return await request(host, attempt)
        except ConnectionError as e:
            kind = type(e).__name__
            print(f"{prefix}{host} try {attempt}: {kind} ({isinstance(e, OSError)})")
        except OSError as e:
            print(f"{prefix}{host} try {attempt}: other OSError {e!r}")
    raise ConnectionAbortedError(f"{host}: gave up after {tries} tries")


async def main():
    options = {"prefix": "> "}
    results = await asyncio.gather(
        *(fetch(h, **options) for h in ["alpha", "beta", "gamma", "delta"]),
        return_exceptions=True,
    )
    for r in results:
        print(type(r).__name__, r)
    print(issubclass(ConnectionResetError, ConnectionError), issubclass(TimeoutError, ConnectionError))
    for call in (lambda: fetch("x", **options, prefix="again"), lambda: fetch(*42)):
        try:
            call()
        except TypeError as e:
            print("TypeError:", e)
    try:
        await asyncio.wait([asyncio.create_task(request("w", 1))], return_when="SOMETIMES")
    except ValueError as e:
        print("ValueError:", e)
    group = ExceptionGroup("all failed", [e for e in results if isinstance(e, Exception)] or [OSError("none")])
    print(group.message, len(group.exceptions))
    refused = ConnectionRefusedError(111, "Connection refused")
    missing = FileNotFoundError(2, "No such file or directory", "hosts.txt")
    print(refused, "|", missing, "|", missing.errno, missing.filename, refused.strerror)
    print(asyncio.current_task().get_name())


try:
    asyncio.current_task()
except RuntimeError as e:
    print("outside the loop:", e)
asyncio.run(main())
asyncio.run(main())
