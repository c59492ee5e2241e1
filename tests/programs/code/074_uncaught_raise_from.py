# An error re-raised with "from": the program ends with the outer error,
# whose message names what went wrong for the user.
import asyncio


async def load_profile(users, name):
    await asyncio.sleep(0.01)
    try:
        return users[name]
    except KeyError as e:
        raise RuntimeError(f"no profile for {name}") from e


async def main():
    users = {"ada": {"lang": "en"}, "bruno": {"lang": "pt"}}
    for name in ["ada", "bruno", "chen"]:
        profile = await load_profile(users, name)
        print(name, "speaks", profile["lang"])


asyncio.run(main())
