# A calculator service with a dict of lambdas as its dispatch table; bad
# operators and division by zero come back as error messages.
import asyncio

OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


async def evaluate(expr):
    await asyncio.sleep(0.01)
    left, op, right = expr.split()
    try:
        value = OPS[op](float(left), float(right))
    except KeyError:
        return f"{expr} -> unknown operator {op!r}"
    except ZeroDivisionError as e:
        return f"{expr} -> error: {e}"
    if value == int(value):
        value = int(value)
    return f"{expr} -> {value}"


async def main():
    exprs = ["3 + 4", "10 / 4", "2 ^ 8", "7 / 0", "6 * 7", "1.5 - 0.25"]
    answers = await asyncio.gather(*[evaluate(e) for e in exprs])
    for line in answers:
        print(line)
    print(len([a for a in answers if "error" in a or "unknown" in a]), "problems")


asyncio.run(main())
