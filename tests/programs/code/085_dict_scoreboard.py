# A live scoreboard kept in a dict by several game tasks, using get,
# setdefault, update, pop, keys, values, items and the in test.
import asyncio
import random


async def play(team, board, rounds):
    for _ in range(rounds):
        await asyncio.sleep(random.choice([0.01, 0.02]))
        board[team] = board.get(team, 0) + random.randint(0, 3)


async def main():
    random.seed(5)
    board = {}
    board.setdefault("reds", 0)
    await asyncio.gather(play("reds", board, 3), play("blues", board, 3), play("greens", board, 2))
    print("teams:", list(board.keys()))
    print("points:", list(board.values()), "total", sum(board.values()))
    board.update({"golds": 4, "reds": board["reds"] + 1})
    removed = board.pop("greens")
    print("greens removed with", removed, "| greens still in?", "greens" in board)
    print("pop with default:", board.pop("purples", None))
    for team, pts in sorted(board.items(), key=lambda kv: kv[1], reverse=True):
        print(f"{team:<6}{'*' * pts}")


asyncio.run(main())
