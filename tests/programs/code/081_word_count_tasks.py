# Counting words of several documents concurrently, then merging the
# counts and listing the most common words.
import asyncio

DOCS = {
    "a.txt": "The cat sat. The cat ran!",
    "b.txt": "  a dog, a cat, and THE bird ",
    "c.txt": "Birds sing; the dog sleeps.",
}


async def count_words(name, text):
    await asyncio.sleep(len(text) / 1000)
    counts = {}
    for raw in text.lower().split():
        word = raw.strip(".,;!")
        counts[word] = counts.get(word, 0) + 1
    print(f"{name}: {len(counts)} distinct words")
    return counts


async def main():
    results = await asyncio.gather(*[count_words(n, t) for n, t in DOCS.items()])
    total = {}
    for counts in results:
        for word, c in counts.items():
            total.setdefault(word, 0)
            total[word] += c
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
    for word, c in top:
        print(f"{word:<6}{c:3d}")
    print("'cat' appears", DOCS["a.txt"].lower().count("cat"), "times in a.txt")


asyncio.run(main())
