# A stock ticker: each symbol's price takes a seeded random walk with
# random.uniform, and an alert fires when it moves more than 1%.
import asyncio
import random


async def ticker(symbol, price, ticks, alerts):
    start = price
    for t in range(ticks):
        await asyncio.sleep(0.05)
        price = round(price * (1 + random.uniform(-0.02, 0.025)), 2)
        change = (price - start) / start * 100
        if abs(change) > 1:
            alerts.append((t, symbol, round(change, 1)))
    print(f"{symbol:<5}{start:>9.2f}{price:>9.2f}{price - start:>+8.2f}")
    return price


async def main():
    random.seed(99)
    alerts = []
    stocks = {"ACME": 120.0, "GLOBX": 45.5, "INIT": 8.75}
    print(f"{'sym':<5}{'open':>9}{'close':>9}{'diff':>8}")
    closes = await asyncio.gather(*[ticker(s, p, 6, alerts) for s, p in stocks.items()])
    print("portfolio value: %.2f" % sum(closes))
    for t, sym, pct in alerts[:3]:
        print(f"alert at tick {t}: {sym} moved {pct}%")
    print(len(alerts), "alerts in total")


asyncio.run(main())
