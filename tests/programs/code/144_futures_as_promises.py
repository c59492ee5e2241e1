import asyncio


async def courier(parcel, seconds, outcome):
    await asyncio.sleep(seconds)
    if outcome == "lost":
        parcel.set_exception(LookupError(f"parcel lost after {seconds} s"))
    elif not parcel.cancelled():
        parcel.set_result(f"delivered in {seconds} s")
    print("courier back:", parcel)


async def customer(name, parcel):
    print(name, "waits for", parcel)
    try:
        print(name, "receives:", await parcel)
    except LookupError as e:
        print(name, "complains:", e)
    except asyncio.CancelledError:
        print(name, "hears the order was cancelled")


async def main():
    loop = asyncio.get_running_loop()
    orders = {name: loop.create_future() for name in ["ana", "ben", "cy"]}
    plans = {"ana": (0.4, "ok"), "ben": (0.2, "lost"), "cy": (0.6, "ok")}
    customers = [asyncio.create_task(customer(n, f)) for n, f in orders.items()]
    couriers = [asyncio.create_task(courier(orders[n], s, o)) for n, (s, o) in plans.items()]
    await asyncio.sleep(0.3)
    print("at 0.3 s:", {n: f.done() for n, f in orders.items()})
    orders["cy"].cancel()
    await asyncio.gather(*customers, *couriers)
    try:
        orders["ana"].set_result("twice")
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)
    print(orders["ben"].exception())
    shared = asyncio.Future()
    listeners = [asyncio.create_task(customer(f"fan {i}", shared)) for i in range(2)]
    await asyncio.sleep(0)
    print(shared)
    shared.set_result("tickets")
    await asyncio.wait(listeners)


asyncio.run(main())
