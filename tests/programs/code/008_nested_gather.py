# Gathers inside gathers: two teams each run their members concurrently,
# and the teams run concurrently too.
import asyncio
from asyncio import gather, sleep


async def member(team, name, effort):
    await sleep(effort)
    print(f"[{team}] {name} finished")
    return effort


async def team(name, members):
    efforts = await gather(*[member(name, m, e) for m, e in members])
    print(f"[{name}] team total {sum(efforts):.1f}")
    return name, max(efforts)


async def main():
    red = [("ann", 0.2), ("bob", 0.4)]
    blue = [("cid", 0.3), ("dee", 0.1), ("eve", 0.2)]
    (n1, slowest1), (n2, slowest2) = await gather(team("red", red), team("blue", blue))
    print(n1, slowest1, n2, slowest2)
    winner = n1 if slowest1 < slowest2 else n2
    print("winner:", winner)


asyncio.run(main())
