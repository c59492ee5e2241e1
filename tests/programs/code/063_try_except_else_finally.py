# The four parts of a try statement in an async function: else runs only
# without an error, finally runs every time.
import asyncio


async def withdraw(balance, amount):
    await asyncio.sleep(0.01)
    if amount > balance:
        raise ValueError(f"cannot take {amount} from {balance}")
    return balance - amount


async def attempt(balance, amount):
    try:
        left = await withdraw(balance, amount)
    except ValueError as e:
        print("  refused:", e)
        left = balance
    else:
        print("  approved, left", left)
    finally:
        print("  receipt printed for", amount)
    return left


async def main():
    balance = 100
    for amount in [30, 90, 50, 20]:
        print("withdraw", amount)
        balance = await attempt(balance, amount)
    print("final balance:", balance)


asyncio.run(main())
