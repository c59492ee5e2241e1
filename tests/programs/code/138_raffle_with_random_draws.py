# A raffle drawn while ticket sellers report in: randrange, choices with and
# without weights, sample (the pool way and the set way), all as CPython
# draws them from the same seed, with totals in grouped, zero-padded fields.
import asyncio
import random


async def seller(name, tickets, delay):
    await asyncio.sleep(delay)
    print(f"{name:<6}sold {tickets:05,} tickets")
    return tickets


async def main():
    random.seed(2024)
    sold = await asyncio.gather(
        *(seller(n, random.randrange(500, 5000, 50), 0.1 * i) for i, n in enumerate(["ana", "ben", "cy"], 1))
    )
    total = sum(sold)
    print(f"total {total:012,} | {total:>+10_} | {total / 7:010,.2f} | {'end':*^9}")
    tickets = range(1, total + 1)
    print("winners:", random.sample(tickets, 4))
    print("jury:", random.sample(["ana", "ben", "cy", "dee", "eve"], 3))
    print("spins:", random.choices("RGB", k=6), random.choices("RGB", weights=[5, 1, 0], k=6))
    print("door:", random.choices(range(3), cum_weights=[1, 2, 10], k=5), random.randrange(10))
    print(f"{random.random():.3} {format(65.0, '.2')} {1234.5:#g} {'x':03}")


asyncio.run(main())
