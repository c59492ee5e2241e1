import asyncio
import random

random.seed(21)
booked = {12, 47, 33, 90, 15, 61}


async def customer(name, wanted):
    await asyncio.sleep(random.uniform(0.1, 0.5))
    free = wanted - booked
    taken = wanted & booked
    booked.update(free)
    print(f"{name}: got {sorted(free)}, already taken {taken}")
    return free


async def main():
    everyone = booked
    requests = {
        "ana": {47, 48, 49, 50},
        "ben": {90, 91, 92},
        "cy": {12, 13, 14, 100, 101},
    }
    results = await asyncio.gather(*(customer(n, w) for n, w in requests.items()))
    print("booked now:", booked, everyone is booked)
    vip = {1, 2, 3, 64, 65, 128}
    print("union:", booked | vip)
    print("either, not both:", booked ^ {12, 200, 47, 300})
    mine = set(results[0])
    mine |= {70, 71, 72, 73, 74}
    mine -= {48}
    print("mine:", mine, len(mine))
    alias = mine
    alias &= {49, 50, 70, 99}
    print("alias and mine:", mine, alias is mine)
    print("copies:", booked.copy() == booked, set(vip), vip.union({4, 5}, {400}))
    vip.difference_update([1, 2], {3})
    vip.symmetric_difference_update({64, 7})
    vip.intersection_update(range(100))
    print("vip now:", vip)


asyncio.run(main())
