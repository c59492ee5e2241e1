# A fixed-rate game loop: each frame moves a player, enemies spawn at
# random, and the loop ends on collision or after a number of frames.
import asyncio
import random

FRAME = 0.02


async def game(max_frames):
    pos, enemies, score = 0, [], 0
    for frame in range(max_frames):
        await asyncio.sleep(FRAME)
        pos += random.choice([-1, 1, 1])
        if random.random() < 0.3:
            enemies.append(random.randint(pos + 2, pos + 5))
        enemies = [e - 1 for e in enemies]
        if pos in enemies:
            print(f"frame {frame:2d}: hit at {pos}!")
            break
        passed = len([e for e in enemies if e < pos])
        if passed == 0:
            continue
        score += passed
        enemies = [e for e in enemies if e >= pos]
        print(f"frame {frame:2d}: pos {pos:3d} dodged {passed} score {score}")
    else:
        print("survived all frames")
    return score


async def main():
    for seed in (1, 4):
        random.seed(seed)
        print("seed", seed, "-> score", await game(15))


asyncio.run(main())
