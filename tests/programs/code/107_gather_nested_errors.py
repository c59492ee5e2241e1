# An error inside an inner gather surfaces in the outer gather's result
# list, because only the outer one uses return_exceptions=True.
import asyncio


async def check(host, port):
    await asyncio.sleep(0.01 if port else 0.005)
    if port == 0:
        raise ValueError(f"{host}: port 0 is invalid")
    return f"{host}:{port}"


async def check_host(host, ports):
    return await asyncio.gather(*[check(host, p) for p in ports])


async def main():
    hosts = {"web": [80, 443], "db": [5432, 0], "cache": [6379]}
    results = await asyncio.gather(*[check_host(h, ps) for h, ps in hosts.items()], return_exceptions=True)
    for host, r in zip(hosts, results):
        if isinstance(r, Exception):
            print(f"{host:>6}: FAILED ({r})")
        else:
            print(f"{host:>6}: {', '.join(r)}")


asyncio.run(main())
