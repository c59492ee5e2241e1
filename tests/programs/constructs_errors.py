import asyncio


async def risky(n):
    try:
        if n < 0:
            raise ValueError('negative')
        return 10 / n
    except ZeroDivisionError:
        return 0
    except (ValueError, TypeError) as e:
        print('bad', e)
        raise
    except Exception as err:
        raise RuntimeError('wrapped') from err
    else:
        print('fine')
    finally:
        print('always')


async def main():
    try:
        await asyncio.wait_for(risky(1), timeout=1)
    except asyncio.TimeoutError:
        pass
    except asyncio.CancelledError:
        raise
    try:
        pass
    finally:
        pass
    async with asyncio.timeout(2):
        await asyncio.sleep(1)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(risky(2))
    lock = asyncio.Lock()
    async with lock:
        pass
    with open_thing() as (a, b), other():
        pass

asyncio.run(main())
