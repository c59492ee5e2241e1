# A module-level counter updated by several tasks through the global
# statement; without an await in between, no update is lost.
import asyncio

requests_served = 0
busiest = None


async def serve(client, n):
    global requests_served, busiest
    for _ in range(n):
        await asyncio.sleep(0.01)
        requests_served += 1
    if busiest is None or n > busiest[1]:
        busiest = (client, n)
    print(f"{client} done, counter now {requests_served}")


async def main():
    clients = {"web": 4, "mobile": 2, "cli": 3}
    await asyncio.gather(*[serve(c, n) for c, n in clients.items()])
    print("served:", requests_served, "expected:", sum(clients.values()))
    print("busiest client:", busiest)


asyncio.run(main())
