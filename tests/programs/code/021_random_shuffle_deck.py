# Shuffling and dealing a seeded deck of cards, then dealing hands to
# players who think for a random time.
import asyncio
import random


def make_deck():
    ranks = ["A", "K", "Q", "J", "10", "9"]
    suits = ["h", "s"]
    return [r + s for s in suits for r in ranks]


async def think(name, hand):
    pause = random.uniform(0.05, 0.2)
    await asyncio.sleep(pause)
    best = max(hand, key=lambda c: "9 10 J Q K A".split().index(c[:-1]))
    print(f"{name} thought {pause:.3f}s and plays {best}")
    return best


async def main():
    random.seed(2024)
    deck = make_deck()
    random.shuffle(deck)
    print("deck:", " ".join(deck))
    hands = {"north": deck[0:3], "south": deck[3:6]}
    plays = await asyncio.gather(*[think(n, h) for n, h in hands.items()])
    print("played:", plays)
    print("coin:", "heads" if random.random() < 0.5 else "tails")


asyncio.run(main())
