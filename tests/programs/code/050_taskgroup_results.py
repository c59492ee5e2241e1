# Collecting results from a TaskGroup into a dict, with a nested group
# for each department.
import asyncio
import random


async def salary(dept, person):
    await asyncio.sleep(random.randint(1, 5) / 100)
    return random.randint(30, 90) * 1000


async def department(name, people):
    async with asyncio.TaskGroup() as tg:
        pays = [tg.create_task(salary(name, p)) for p in people]
    total = sum(t.result() for t in pays)
    print(f"{name:<6} total {total:>8,}")
    return total


async def main():
    random.seed(11)
    staff = {"sales": ["ann", "bo"], "dev": ["cy", "di", "ed"], "ops": ["fay"]}
    async with asyncio.TaskGroup() as tg:
        totals = {d: tg.create_task(department(d, ps)) for d, ps in staff.items()}
    report = {d: t.result() for d, t in totals.items()}
    print("largest:", max(report, key=report.get))
    print("payroll: {:,}".format(sum(report.values())))


asyncio.run(main())
