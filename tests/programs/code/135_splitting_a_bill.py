# Splitting a restaurant bill read from a pasted receipt (Windows line ends and
# all) while the card terminals answer: float floor division and remainders
# with negative amounts, round half to even, floats written with underscores.
import asyncio

RECEIPT = "soup 7.50\r\nbread 2_000.5\r\nwine 24.00\rtip -3.25\n"


async def terminal(name, amount, delay):
    await asyncio.sleep(delay)
    print(f"{name}: charged {amount:.2f}")
    return amount


async def main():
    lines = RECEIPT.splitlines()
    print(len(lines), lines[-1], RECEIPT.splitlines(keepends=True)[0].endswith("\r\n"))
    prices = [float(line.rsplit(" ", 1)[1]) for line in lines]
    total = sum(prices)
    print(total, total // 3, total % 3, divmod(total, -4), -7.5 // 2, -7.5 % 2)
    print(round(2.5), round(3.5), round(-0.5), round(total / 3, 2), 3.0 in range(1, 5))
    shares = [round(total / 3, 2)] * 2
    shares.append(round(total - sum(shares), 2))
    paid = await asyncio.gather(*(terminal(f"card {i}", s, 0.1 * (3 - i)) for i, s in enumerate(shares)))
    print(paid, round(sum(paid) - total, 9), 5 % -2.5, -0.0 % 5)


asyncio.run(main())
