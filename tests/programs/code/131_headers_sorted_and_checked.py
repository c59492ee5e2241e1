# Reading HTTP-like headers from several servers at once: partition each line,
# sort names with key=str.lower, tell errors apart by their class's name, and
# print status codes in hex and binary as a protocol course might.
import asyncio

RESPONSES = {
    "alpha": ["Content-Type: text/html", "X-Trace: 1f", "cache-control: no-cache"],
    "beta": ["server: tiny", "Content-Length: 42", "Broken header"],
    "gamma": ["ETag: abc", "x-trace: 2a"],
}


async def fetch(host, delay):
    await asyncio.sleep(delay)
    headers = {}
    for line in RESPONSES[host]:
        name, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{host}: no colon in {line!r}")
        headers[name.strip()] = value.strip()
    return host, headers


async def main():
    jobs = [fetch(h, d) for h, d in [("alpha", 0.3), ("beta", 0.1), ("gamma", 0.2)]]
    results = await asyncio.gather(*jobs, return_exceptions=True)
    seen = dict.fromkeys(RESPONSES, "failed")
    for r in results:
        if isinstance(r, Exception):
            print(r.__class__.__name__, "->", r)
            continue
        host, headers = r
        seen[host] = "ok"
        names = sorted(headers, key=str.lower)
        print(host, names, [n for n in names if n.islower()])
        trace = headers.get("X-Trace") or headers.get("x-trace")
        if trace and trace.isalnum():
            code = int(trace, 16)
            print("  trace", hex(code), oct(code), bin(code), trace.upper().removeprefix("1"))
    print(seen, list(map(str.title, seen)))
    print("server: tiny".rpartition(" "), "a b".swapcase(), "\t ".isspace(), "HTTP2".isupper())


asyncio.run(main())
