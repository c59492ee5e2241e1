# A traffic light state machine driven by a while loop with if/elif/else,
# while a pedestrian task presses the button once.
import asyncio

state = "red"
button_pressed = False


async def controller(cycles):
    global state, button_pressed
    changes = 0
    while changes < cycles:
        if state == "red":
            wait, nxt = 0.15, "green"
        elif state == "green":
            wait = 0.05 if button_pressed else 0.2
            nxt = "yellow"
        elif state == "yellow":
            wait, nxt = 0.05, "red"
        else:
            pass
        await asyncio.sleep(wait)
        print(f"{state:>6} -> {nxt:<6} after {wait}s")
        if nxt == "red":
            button_pressed = False
        state = nxt
        changes += 1


async def pedestrian(at):
    global button_pressed
    await asyncio.sleep(at)
    button_pressed = True
    print("pedestrian pressed the button while light is", state)


async def main():
    await asyncio.gather(controller(6), pedestrian(0.1))


asyncio.run(main())
