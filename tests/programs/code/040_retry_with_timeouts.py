# Retries with a growing timeout: each attempt gets twice as long, and a
# for-else reports when every attempt failed.
import asyncio

RESPONSE_TIMES = [0.5, 0.3, 0.15, 0.05]


async def call_service(attempt):
    await asyncio.sleep(RESPONSE_TIMES[attempt])
    return f"answer from attempt {attempt + 1}"


async def fetch_with_retries(first_timeout, attempts):
    timeout = first_timeout
    for attempt in range(attempts):
        try:
            reply = await asyncio.wait_for(call_service(attempt), timeout)
        except asyncio.TimeoutError:
            print(f"attempt {attempt + 1}: no reply within {timeout:.2f}s")
            timeout *= 2
            continue
        print("got:", reply)
        break
    else:
        print("giving up after", attempts, "attempts")
        return None
    return reply


async def main():
    print(await fetch_with_retries(0.05, 4))
    print(await fetch_with_retries(0.01, 2))


asyncio.run(main())
