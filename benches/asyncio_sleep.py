"""The CPython baseline of `make bench`: N asyncio tasks each sleeping 1 s, started at once and
awaited together. Prints one JSON line: elapsed and overhead (ms), timer lateness p50/p99 (ms)
and Python heap per task (bytes, from tracemalloc)."""

import asyncio
import json
import sys
import time
import tracemalloc


async def sleeper(secs, late, loop):
    due = loop.time() + secs
    await asyncio.sleep(secs)
    late.append(loop.time() - due)


async def main(n, secs):
    loop = asyncio.get_running_loop()
    # Timed without tracing (tracemalloc slows every allocation) ...
    late = []
    start = time.perf_counter()
    await asyncio.gather(*[sleeper(secs, late, loop) for _ in range(n)])
    elapsed = time.perf_counter() - start
    late.sort()
    # ... then the same again, traced, for the memory each live task costs.
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    await asyncio.gather(*[sleeper(secs, [], loop) for _ in range(n)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    def pct(p):
        return late[min(len(late) - 1, round((len(late) - 1) * p))] * 1000 if late else 0.0

    print(json.dumps({
        "elapsed_ms": elapsed * 1000,
        "overhead_ms": (elapsed - secs) * 1000,
        "late_p50_ms": pct(0.5),
        "late_p99_ms": pct(0.99),
        "bytes_per_task": (peak - before) / n,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 1.0))
