# A tiny web crawler: a Semaphore(2) allows at most two fetches at once,
# and each page's links are crawled once.
import asyncio

SITE = {
    "/": ["/about", "/blog", "/shop"],
    "/about": ["/"],
    "/blog": ["/blog/1", "/blog/2"],
    "/shop": ["/"],
    "/blog/1": [],
    "/blog/2": ["/blog/1"],
}
active = 0


async def fetch(url, sem):
    global active
    async with sem:
        active += 1
        print(f"fetch {url:<8} active={active}")
        await asyncio.sleep(0.1)
        active -= 1
        return SITE.get(url, [])


async def crawl(start):
    sem = asyncio.Semaphore(2)
    seen = {start}
    frontier = [start]
    while frontier:
        pages = await asyncio.gather(*[fetch(u, sem) for u in frontier])
        frontier = sorted({link for links in pages for link in links if link not in seen})
        for link in frontier:
            seen.add(link)
    return seen


async def main():
    seen = await crawl("/")
    print("crawled", len(seen), "pages:", sorted(seen))


asyncio.run(main())
