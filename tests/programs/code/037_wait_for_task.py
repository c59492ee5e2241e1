# wait_for on a Task: when the time runs out the task itself gets
# cancelled; when it does not, the task's result comes back.
import asyncio


async def render(page, cost):
    await asyncio.sleep(cost)
    return f"<{page}>"


async def main():
    quick = asyncio.create_task(render("home", 0.1))
    html = await asyncio.wait_for(quick, timeout=0.5)
    print("rendered", html, "done:", quick.done())

    heavy = asyncio.create_task(render("report", 2))
    try:
        await asyncio.wait_for(heavy, timeout=0.15)
    except TimeoutError:
        print("report too slow")
    print("heavy done:", heavy.done(), "cancelled:", heavy.cancelled())

    for cost in (0.05, 0.25):
        t = asyncio.create_task(render("item", cost))
        try:
            print(cost, "->", await asyncio.wait_for(t, 0.2))
        except asyncio.TimeoutError:
            print(cost, "-> timed out, cancelled =", t.cancelled())


asyncio.run(main())
