# Transfers between accounts, each guarded by its own lock; locks are
# always taken in name order so two opposite transfers cannot deadlock.
import asyncio

accounts = {"alice": 100, "bob": 50, "carol": 0}
locks = {}


async def transfer(src, dst, amount):
    first, second = sorted([src, dst])
    async with locks[first]:
        async with locks[second]:
            if accounts[src] < amount:
                print(f"{src} -> {dst}: {amount} refused (has {accounts[src]})")
                return False
            accounts[src] -= amount
            await asyncio.sleep(0.01)
            accounts[dst] += amount
            print(f"{src} -> {dst}: {amount} ok")
            return True


async def main():
    for name in accounts:
        locks[name] = asyncio.Lock()
    moves = [("alice", "bob", 30), ("bob", "alice", 70), ("bob", "carol", 60), ("carol", "alice", 10)]
    ok = await asyncio.gather(*[transfer(*m) for m in moves])
    print("succeeded:", ok.count(True), "of", len(ok))
    print("balances:", accounts, "total:", sum(accounts.values()))
    print("any lock held?", any(lock.locked() for lock in locks.values()))


asyncio.run(main())
