# A seeded dice race: each player rolls with random.randint and moves,
# the first to reach the goal wins.
import asyncio
import random

GOAL = 12


async def player(name, board, done):
    while not done:
        roll = random.randint(1, 6)
        board[name] += roll
        print(f"{name} rolls {roll} -> {board[name]}")
        if board[name] >= GOAL:
            done.append(name)
            break
        await asyncio.sleep(0.01)


async def main():
    random.seed(7)
    names = ["ada", "bea", "cy"]
    board = {n: 0 for n in names}
    done = []
    await asyncio.gather(*[player(n, board, done) for n in names])
    print("winner:", done[0])
    print("standings:", sorted(board.items(), key=lambda kv: kv[1], reverse=True))
    print("lucky pick:", random.choice(names))


asyncio.run(main())
