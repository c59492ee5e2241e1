import asyncio
import random

random.seed(8)


async def draw(pool, rounds):
    winners = []
    for n in range(rounds):
        await asyncio.sleep(0.1)
        winners.append(pool.pop())
        print("round %02d: ticket #%.4d (%d left)" % (n + 1, winners[-1], len(pool)))
    return winners


async def main():
    tickets = set(random.sample(range(1, 500), 12))
    print("tickets:", tickets)
    early = {t for t in tickets if t < 100}
    late = tickets - early
    print("early ^ odd:", early ^ {t for t in tickets if t % 2})
    print("late.union(list):", late.union([7, 8, 9]), late.difference([min(late)]))
    winners = await draw(tickets, 4)
    print("winners:", winners, "left:", tickets)
    bonus = {1, 2, 3, 71}
    bonus ^= {71, 44, 500}
    print("bonus toggled:", bonus, "%#.3x %-6.3i|" % (255, 42))


asyncio.run(main())
