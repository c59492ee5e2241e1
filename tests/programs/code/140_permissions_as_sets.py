# Checking users' permissions as sets while their lookups finish: subset and
# superset by operator and by method, disjointness, and the differences.
import asyncio

ROLES = {"viewer": {1, 2}, "editor": {1, 2, 3}, "admin": {1, 2, 3, 4, 5}}


async def lookup(user, role, delay):
    await asyncio.sleep(delay)
    return user, ROLES[role]


async def main():
    needed = {1, 2, 3}
    found = await asyncio.gather(lookup("ann", "viewer", 0.2), lookup("bo", "admin", 0.1), lookup("cy", "editor", 0.3))
    for user, perms in found:
        print(user, needed <= perms, needed < perms, perms >= needed, perms > needed, perms.issuperset([1, 2]))
        print("  missing", needed - perms, "extra", perms.difference(needed, [5]), "odd", needed.symmetric_difference(perms))
    print(ROLES["viewer"].issubset(range(4)), {4, 5}.isdisjoint(ROLES["editor"]), {9}.union([1], (2,)))


asyncio.run(main())
