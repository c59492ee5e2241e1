# A bare raise inside except re-raises the same exception after logging,
# so the caller still gets to handle it.
import asyncio

log = []


async def charge(card, amount):
    await asyncio.sleep(0.01)
    if card.startswith("0000"):
        raise ValueError("card declined")
    return amount


async def checkout(card, amount):
    try:
        return await charge(card, amount)
    except ValueError as e:
        log.append(f"{card[-4:]}: {e}")
        raise


async def main():
    for card in ["4111222233334444", "0000111122223333"]:
        try:
            paid = await checkout(card, 25)
            print("paid", paid)
        except ValueError as e:
            print("checkout failed:", e)
    print("log:", log)


asyncio.run(main())
