# Parsing log lines and summing prices while fetches run: split with maxsplit,
# find from a start, replace a count, rsplit, sums of floats (CPython's sum is
# compensated), pow with a modulus, and the usual __main__ guard.
import asyncio

LOG = [
    "12:00:01 GET /cart?id=7 200 0.1",
    "12:00:02 POST /pay 500 0.2",
    "12:00:02 GET /cart?id=8 200 0.3",
    "12:00:03 GET /static/app.js 304 0.1",
]


async def fetch_price(item, delay):
    await asyncio.sleep(delay)
    return {"tea": 0.1, "cake": 0.2, "jam": 0.7}[item]


async def main():
    for line in LOG:
        stamp, rest = line.split(" ", 1)
        method, path, status, secs = rest.split(maxsplit=3)
        query = path.find("?", 1)
        print(stamp.replace(":", "h", 1), method, path[:query] if query >= 0 else path, status, secs)
    print(sum(float(l.rsplit(" ", 1)[1]) for l in LOG), sum([0.1] * 10))
    print(LOG[1].rsplit(None, 2), "a-b-c".rsplit("-", 1), LOG[0].count("0", 3))
    print([l.startswith(("12:00:01", "12:00:03")) for l in LOG], LOG[2].rfind("/"), LOG[3].index("GET", 0, 20))
    items = ["tea", "cake", "jam", "tea"]
    prices = await asyncio.gather(*(fetch_price(it, 0.1 * (i + 1)) for i, it in enumerate(items)))
    print(prices, sum(prices), sum(prices, 10), sum(p * 3 for p in prices))
    print(pow(7, 128, 13), pow(3, -1, 11), int("0x1F", 16), int("0b1010", 0), int(" 1_000 "))
    print(True | False, True & False, "%#x|%-5d|" % (255, 42), chr(9731) == "\u2603", ord("a"))
    for bad in ["10", "1__0", "0x"]:
        try:
            print(int(bad, 0))
        except ValueError as e:
            print("ValueError:", e)


if __name__ == "__main__":
    asyncio.run(main())
