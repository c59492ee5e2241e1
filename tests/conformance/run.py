"""The conformance tier: every scenario's Python listing, run by CPython on a virtual clock, must
print what Interleave's ideal run prints.

For each scenario of `interleave catalog --json`: its defaults and at least 20 random valid
parameter sets. Each link's listing (`interleave listing LINK`) runs unmodified in CPython under
vclock.py; its record is compared with `interleave run LINK --json`: the same lines from the same
tasks at the same times (to the microsecond), the same tasks in creation order (function, parent,
creation, first step, end, steps, how it ended, what it returned), the same never-awaited
coroutines, the same elapsed time. Any difference fails the tier.

The reference is CPython 3.12; 3.11 and 3.13 are compared too when the machine has them.

Usage: python3 tests/conformance/run.py [--seed N] [--per-scenario N] [--binary PATH]
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Random sets whose ideal run needs more polls than this are drawn again: CPython takes about a
# microsecond and a half per step, and the tier must stay well under a minute.
MAX_POLLS = 60_000
# Counts are drawn up to this (log-uniformly), for the same reason.
MAX_COUNT = 2_000
TOLERANCE = 1e-6


def interpreters():
    """The CPythons to compare against, the reference (3.12) first: (version, command, env)."""
    found = []
    pyenv = shutil.which("pyenv")
    bare = []
    if pyenv:
        out = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True)
        bare = out.stdout.split()
    def version_of(command, env=None):
        try:
            out = subprocess.run(
                [*command, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                env=env,
            )
        except OSError:
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    for minor in ("3.12", "3.11", "3.13"):
        candidates = []
        for v in sorted((v for v in bare if v.startswith(minor + ".")), reverse=True):
            prefix = subprocess.run([pyenv, "prefix", v], capture_output=True, text=True)
            exe = os.path.join(prefix.stdout.strip(), "bin", "python3")
            if prefix.returncode == 0 and os.path.exists(exe):
                candidates.append(([exe], None))
        candidates += [([f"python{minor}"], None), (["python3"], None)]
        for command, env in candidates:
            if version_of(command, env) == minor:
                found.append((minor, command, env))
                break
    return found


def cli(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    return out.returncode, out.stdout, out.stderr


def draw_number(rng, lo, hi, as_int_ok=True):
    """A number in [lo, hi] as a user might type it: whole, or with a few decimals."""
    kind = rng.random()
    if kind < 0.1:
        x = lo
    elif kind < 0.2:
        x = hi
    elif kind < 0.5:
        x = rng.uniform(lo, min(hi, lo + 5))
    else:
        x = rng.uniform(lo, hi) if rng.random() < 0.3 else lo + (hi - lo) * rng.random() ** 3
    style = rng.random()
    if as_int_ok and style < 0.35:
        n = min(max(round(x), lo), hi)
        if n == int(n):
            return str(int(n))
    digits = rng.choice([1, 2, 3, 6])
    text = f"{x:.{digits}f}".rstrip("0")
    if text.endswith("."):
        text += "0" if rng.random() < 0.5 else ""
    value = float(text) if text.strip(".") else 0.0
    if value < lo or value > hi:
        return draw_number(rng, lo, hi, as_int_ok)
    return text


def draw_count(rng, lo, hi):
    hi = min(hi, MAX_COUNT)
    if rng.random() < 0.15:
        return str(lo)
    return str(int(round(lo + (hi - lo) * rng.random() ** 4)))


def draw(rng, scenario):
    params = []
    for p in scenario["params"]:
        if rng.random() < 0.15:
            continue  # left at its default
        kind = p["kind"]
        if kind == "number":
            text = draw_number(rng, p["min"], p["max"])
        elif kind == "integer":
            if p["name"] == "seed":
                text = str(rng.randrange(0, 2**32))
            else:
                text = draw_count(rng, p["min"], p["max"])
        elif kind == "choice":
            text = rng.choice(p["choices"])
        elif kind == "list":
            n = rng.randint(p["min_len"], min(p["max_len"], 6))
            text = ",".join(draw_number(rng, p["min"], p["max"]) for _ in range(n))
        else:
            raise SystemExit(f"unknown parameter kind {kind!r}")
        params.append(f"{p['name']}={text}")
    link = scenario["id"]
    if params:
        link += "?" + "&".join(params)
    return link


def links_to_compare(binary, catalog, rng, per_scenario):
    """Every scenario's defaults and `per_scenario` random valid sets that are cheap enough."""
    chosen = []
    for scenario in catalog:
        picked = [scenario["id"]]
        attempts = 0
        while len(picked) < per_scenario + 1:
            attempts += 1
            if attempts > 40:
                raise SystemExit(f"could not draw enough valid sets for {scenario['id']}")
            batch = [draw(rng, scenario) for _ in range(2 * per_scenario)]
            _, out, _ = cli(binary, "run", *batch, "--json", f"--max-polls={MAX_POLLS}")
            for line in out.splitlines():
                r = json.loads(line)
                if "errors" in r or not r.get("complete"):
                    continue
                if len(picked) < per_scenario + 1 and r["link"] not in picked:
                    picked.append(r["link"])
        chosen.extend(picked)
    return chosen


def function_name(task_name):
    return task_name.split("(", 1)[0]


def near(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE


def compare(ours, theirs):
    """The differences between Interleave's run and CPython's, in words (none if they agree)."""
    diffs = []
    if theirs.get("error"):
        diffs.append(f"CPython: {theirs['error']}")
    if not near(ours["elapsed"], theirs["elapsed"]):
        diffs.append(f"elapsed {ours['elapsed']} vs CPython {theirs['elapsed']}")
    a, b = ours["lines"], theirs["lines"]
    for i, (x, y) in enumerate(zip(a, b)):
        if (
            x["text"] != y["text"]
            or x["task"] != y["task"]
            or x.get("open", False) != y.get("open", False)
            or not near(x["time"], y["time"])
        ):
            diffs.append(
                f"line {i + 1}: {x['time']} task {x['task']} {x['text']!r} "
                f"vs CPython {y['time']} task {y['task']} {y['text']!r}"
            )
            break
    if len(a) != len(b):
        diffs.append(f"{len(a)} lines vs CPython {len(b)}")
    ta, tb = ours["tasks"], theirs["tasks"]
    if len(ta) != len(tb):
        diffs.append(f"{len(ta)} tasks vs CPython {len(tb)}")
    for x, y in zip(ta, tb):
        what = []
        if function_name(x["name"]) != y["name"]:
            what.append(f"function {x['name']} vs {y['name']}")
        if x["parent"] != y["parent"]:
            what.append(f"parent {x['parent']} vs {y['parent']}")
        for key in ("created", "started", "ended"):
            if not near(x[key], y[key]):
                what.append(f"{key} {x[key]} vs {y[key]}")
        if x["polls"] != y["polls"]:
            what.append(f"steps {x['polls']} vs {y['polls']}")
        if x["outcome"] != y["outcome"]:
            what.append(f"outcome {x['outcome']} vs {y['outcome']}")
        elif x.get("result") != y.get("result"):
            what.append(f"result {x.get('result')} vs {y.get('result')}")
        if what:
            diffs.append(f"task {x['id']} ({x['name']}): " + ", ".join(what))
            break
    never_ours = sorted(
        m.group(1)
        for w in ours["warnings"]
        for m in [re.search(r"coroutine (\w+)\(.*never awaited", w)]
        if m
    )
    never_theirs = sorted(
        m.group(1)
        for w in theirs["never_awaited"]
        for m in [re.search(r"coroutine '([\w.]+)' was never awaited", w)]
        if m
    )
    if never_ours != never_theirs:
        diffs.append(f"never awaited {never_ours} vs CPython {never_theirs}")
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None, help="seed of the random parameter sets")
    ap.add_argument("--per-scenario", type=int, default=20)
    # Where cargo put the binary: its target directory, moved if CARGO_TARGET_DIR says so.
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--binary", default=os.path.join(target, "debug", "interleave"))
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    rng = random.Random(seed)
    started = time.time()

    pythons = interpreters()
    if not pythons or pythons[0][0] != "3.12":
        print("conformance: CPython 3.12, the reference, was not found", file=sys.stderr)
        return 1
    status, out, err = cli(args.binary, "catalog", "--json")
    if status != 0:
        print(f"conformance: `catalog --json` failed: {err}", file=sys.stderr)
        return 1
    catalog = json.loads(out)
    links = links_to_compare(args.binary, catalog, rng, args.per_scenario)

    _, out, _ = cli(args.binary, "run", *links, "--json")
    ours = [json.loads(line) for line in out.splitlines()]
    programs = []
    for link in links:
        status, listing, err = cli(args.binary, "listing", link)
        if status != 0:
            print(f"conformance: no listing for {link}: {err}", file=sys.stderr)
            return 1
        programs.append({"id": link, "source": listing})

    failures = 0
    compared = 0
    for version, command, env in pythons:
        proc = subprocess.run(
            [*command, os.path.join(HERE, "vclock.py")],
            input=json.dumps(programs),
            capture_output=True,
            text=True,
            env=env,
        )
        if proc.returncode != 0:
            print(f"conformance: CPython {version} failed:\n{proc.stderr}", file=sys.stderr)
            return 1
        theirs = [json.loads(line) for line in proc.stdout.splitlines()]
        agree = 0
        for o, t in zip(ours, theirs):
            diffs = compare(o, t)
            if diffs:
                failures += 1
                print(f"  DIFFERS under CPython {version}: #{o['link']}")
                for d in diffs:
                    print(f"      {d}")
            else:
                agree += 1
        compared += len(theirs)
        print(f"  CPython {version}: {agree} of {len(theirs)} runs agree")

    took = time.time() - started
    print(
        f"conformance: {compared} runs compared ({len(links)} links, "
        f"{len(catalog)} scenarios, seed {seed}), {compared - failures} agree, "
        f"{failures} differ, in {took:.1f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
