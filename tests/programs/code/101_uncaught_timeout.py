# A wait_for timeout that nobody catches: the program ends with a bare
# TimeoutError, which has no message.
import asyncio


async def handshake(peer, delay):
    await asyncio.sleep(delay)
    print("connected to", peer)
    return peer


async def main():
    peers = [("alpha", 0.05), ("beta", 0.1), ("gamma", 0.5)]
    for peer, delay in peers:
        await asyncio.wait_for(handshake(peer, delay), timeout=0.2)
    print("all connected")


asyncio.run(main())
