# Calling a flaky service that fails at random (seeded), retrying with a
# short pause, and giving up after too many failures.
import asyncio
import random


async def flaky(request):
    await asyncio.sleep(0.02)
    if random.random() < 0.6:
        raise RuntimeError(f"503 for {request}")
    return f"200 for {request}"


async def with_retries(request, attempts=3):
    for i in range(1, attempts + 1):
        try:
            return await flaky(request)
        except RuntimeError as e:
            print(f"  try {i}: {e}")
            await asyncio.sleep(0.01 * i)
    raise RuntimeError(f"{request} failed {attempts} times")


async def main():
    random.seed(3)
    for req in ["/home", "/cart", "/pay"]:
        try:
            print(await with_retries(req))
        except RuntimeError as e:
            print("gave up:", e)


asyncio.run(main())
