# A task created without keeping the reference still runs, as long as the
# loop gets a chance before main ends.
import asyncio

log = []


async def audit(event):
    await asyncio.sleep(0.05)
    log.append(event)
    print("audited", event)


async def handle(request):
    asyncio.create_task(audit(f"request {request}"))
    print("handled", request)
    return request * 2


async def main():
    answers = []
    for r in range(1, 4):
        answers.append(await handle(r))
    print("answers:", answers, "log so far:", log)
    await asyncio.sleep(0.1)
    print("log after waiting:", log)


asyncio.run(main())
