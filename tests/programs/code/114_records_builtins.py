# Student records turned into tuples, dicts and lists with the builtin
# constructors, then ranked with sorted, min, max and enumerate.
import asyncio


async def grade(name, scores):
    await asyncio.sleep(0.01 * len(scores))
    return name, tuple(scores), round(sum(scores) / len(scores), 1)


async def main():
    raw = [("ivy", [88, 92, 79]), ("jon", [65, 70]), ("kat", [95, 91, 99, 90]), ("leo", [72])]
    rows = await asyncio.gather(*[grade(n, s) for n, s in raw])
    averages = dict((name, avg) for name, _, avg in rows)
    print("averages:", averages)
    ranking = sorted(averages, key=averages.get, reverse=True)
    for place, name in enumerate(ranking, start=1):
        print(f"{place}. {name:<4}{averages[name]:>6}")
    best = max(rows, key=lambda r: max(r[1]))
    print("highest single score:", best[0], max(best[1]))
    print("lowest average:", min(averages.values()))
    print(list(zip(ranking, range(3))), tuple("ab"), dict(a=1, b=2), list(range(5, 0, -2)))


asyncio.run(main())
