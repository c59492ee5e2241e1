# Nested functions that read variables of the enclosing call, lambdas as
# sort keys, default and keyword arguments, and **kwargs at a call site.
import asyncio


def make_greeter(greeting, punctuation="!"):
    def greet(name):
        return f"{greeting}, {name}{punctuation}"
    return greet


def make_scaler(factor):
    return lambda x: x * factor


async def deliver(message, delay=0.01, loud=False):
    await asyncio.sleep(delay)
    text = message.upper() if loud else message
    print(text)
    return len(text)


async def main():
    hello = make_greeter("Hello")
    howdy = make_greeter("Howdy", punctuation="?")
    double, triple = make_scaler(2), make_scaler(3)
    options = {"delay": 0.02, "loud": True}
    n1 = await deliver(hello("Ann"))
    n2 = await deliver(howdy("Bo"), **options)
    n3 = await deliver(message=hello("Cy"), loud=False)
    print("lengths:", n1, n2, n3, "scaled:", double(n1), triple(n2))
    people = [("zoe", 31), ("al", 25), ("mia", 31), ("bob", 19)]
    print(sorted(people, key=lambda p: (-p[1], p[0])))
    print(max(people, key=lambda p: len(p[0]))[0], min(people, key=lambda p: p[1])[0])


asyncio.run(main())
