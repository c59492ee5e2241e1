# Parsing server log lines in worker tasks with string methods: find,
# startswith, endswith, replace, split and join.
import asyncio

LOG = [
    "2024-05-01 12:00:01 INFO  GET /index.html 200",
    "2024-05-01 12:00:02 WARN  GET /old-page 301",
    "2024-05-01 12:00:03 ERROR POST /api/pay 500",
    "# comment line",
    "2024-05-01 12:00:04 INFO  GET /img/logo.png 200",
    "2024-05-01 12:00:05 ERROR GET /api/user 404",
]


async def parse(line):
    await asyncio.sleep(0.001 * len(line))
    if line.startswith("#"):
        return None
    date, clock, level, method, path, status = line.split()
    kind = "image" if path.endswith(".png") else "api" if path.find("/api/") == 0 else "page"
    return level, path.replace("/", " ").strip(), int(status), kind, clock[-2:]


async def main():
    parsed = await asyncio.gather(*[parse(line) for line in LOG])
    entries = [p for p in parsed if p is not None]
    print(len(LOG) - len(entries), "line skipped")
    for level, path, status, kind, sec in entries:
        print(f"{level:<5} {status} {kind:<5} :{sec} {path}")
    errors = [e[1] for e in entries if e[0] == "ERROR"]
    print("errors:", " | ".join(errors))
    print("first ERROR at column", LOG[2].find("ERROR"), "- codes:", "-".join(str(e[2]) for e in entries))


asyncio.run(main())
