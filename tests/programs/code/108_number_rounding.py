# Numbers that surprise learners: round() rounds halves to even, int()
# truncates, float sums are not exact; measured per "sensor" task.
import asyncio


async def sensor(name, raw):
    await asyncio.sleep(0.01)
    value = float(raw)
    return name, value, round(value), int(value), abs(value)


async def main():
    readings = {"a": "2.5", "b": "3.5", "c": "-1.7", "d": "0.125"}
    rows = await asyncio.gather(*[sensor(n, r) for n, r in readings.items()])
    for name, value, r, i, a in rows:
        print(f"{name}: {value!r:>6} round={r:2d} int={i:2d} abs={a}")
    print("round(0.125, 2) =", round(0.125, 2), "| round(2.675, 2) =", round(2.675, 2))
    total = 0.1 + 0.2
    print("0.1 + 0.2 =", total, "| repr:", repr(total), "| rounded:", round(total, 2))
    print("7 // 2 =", 7 // 2, "| -7 // 2 =", -7 // 2, "| 7 % 3 =", 7 % 3, "| 2 ** 10 =", 2 ** 10)
    print("big: %d, %5.1f, %s" % (10 ** 12, 3.14159, str(1e16)))
    print("int('42') + float('0.5') =", int("42") + float("0.5"), "|", str(7) * 3)


asyncio.run(main())
