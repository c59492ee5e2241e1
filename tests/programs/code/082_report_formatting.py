# A sales report printed with f-string specs, % formatting, str.format
# and the padding methods center, ljust, rjust and zfill.
import asyncio


async def fetch_sales(region):
    figures = {"north": 1234567.891, "south": 98765.4321, "east": 555.5}
    await asyncio.sleep(0.01)
    return figures[region]


async def main():
    regions = ["north", "south", "east"]
    sales = await asyncio.gather(*[fetch_sales(r) for r in regions])
    width = 30
    print("SALES REPORT".center(width, "="))
    for i, (region, amount) in enumerate(zip(regions, sales), start=1):
        code = str(i).zfill(3)
        print(f"{code} {region.title().ljust(8)}{amount:>14,.2f}")
    total = sum(sales)
    print("-" * width)
    print("%-12s%18.3f" % ("total", total))
    print("{} regions, best: {:>8}".format(len(regions), regions[sales.index(max(sales))]))
    print("{0} share of {1}: {2:.5f}".format("east", "total", sales[2] / total))
    print("end".rjust(width, "."))
    print(f"{'north'!r} sold {sales[0]:,.0f} and {int(sales[1]):5d} in the south")


asyncio.run(main())
