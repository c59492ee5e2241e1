"""The code corpus tier: every program of tests/programs/code, run by Interleave's interpreter,
must print what CPython 3.12 prints on a virtual clock.

The programs are small asyncio programs as a learner writes them (downloads, queues, locks,
timeouts, cancellation, uncaught errors, ...). Each runs unmodified in CPython under vclock.py
and in Interleave (`interleave run --file P1 --file P2 ... --json`); the two records are compared
as the scenario tier compares them (run.py's `compare`: the same lines from the same tasks at the
same times, the same tasks, the same never-awaited coroutines, the same elapsed time), and the
uncaught exception that ends a program, if any, must have the same last traceback line. A program
that Interleave refuses (an "errors" record) fails the tier.

All programs run in one vclock.py process per CPython version, except those that read a task's
name: CPython numbers default task names (Task-1, Task-2, ...) with a counter that lives as long
as the process (in 3.12 even a task given a name= takes a number), so such a program gets a
process of its own, where its main task is Task-1 as in a plain `python3 FILE`.

The reference is CPython 3.12; 3.11 and 3.13 are run too when the machine has them, and their
differences are listed, but only the reference decides (some programs show 3.12's own behaviour:
in 3.11 wait_for wraps a coroutine in a task of its own; in 3.13 a task given a name= takes no
number), unless --strict.

Usage: python3 tests/conformance/code_corpus.py [--binary PATH] [--only SUBSTRING] [--strict]
       python3 tests/conformance/code_corpus.py --list-cpython [--only SUBSTRING]
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(ROOT, "tests", "programs", "code")
VCLOCK = os.path.join(HERE, "vclock.py")

sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ left in tests/conformance
import run as scenarios  # noqa: E402  (the scenario tier: interpreters, compare)

# Interleave runs the whole corpus in one process; a hang must not stall the tier for ever.
BATCH_TIMEOUT = 600
SOLO_TIMEOUT = 60
# Output shown when the binary fails: its last characters are the useful part of a panic.
TAIL = 400


def find_programs(only=None):
    """The corpus, in file-name order: [{"id", "path", "source"}]."""
    programs = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.py"))):
        name = os.path.basename(path)
        if only and only not in name:
            continue
        with open(path, encoding="utf-8") as f:
            programs.append({"id": name, "path": path, "source": f.read()})
    return programs


def reads_task_names(source):
    """Whether the program's output may depend on CPython's process-wide task-name counter."""
    return re.search(r"\bget_name\b", source) is not None


def tail(text):
    """The end of a program's output, on one line."""
    text = " | ".join(line.strip() for line in (text or "").strip().splitlines() if line.strip())
    return text if len(text) <= TAIL else "..." + text[-TAIL:]


def run_vclock(command, env, batch):
    """Runs `batch` in one vclock.py process: {id: record}, or raises RuntimeError."""
    payload = json.dumps([{"id": p["id"], "source": p["source"]} for p in batch])
    try:
        proc = subprocess.run(
            [*command, VCLOCK], input=payload, capture_output=True, text=True, env=env
        )
    except OSError as e:
        raise RuntimeError(f"could not start {command[0]}: {e}")
    if proc.returncode != 0:
        raise RuntimeError(f"vclock.py exited with {proc.returncode}:\n{tail(proc.stderr)}")
    records = {}
    for line in proc.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            raise RuntimeError(f"vclock.py printed a line that is not JSON: {line[:200]!r}")
        records[record["id"]] = record
    missing = [p["id"] for p in batch if p["id"] not in records]
    if missing:
        raise RuntimeError(f"vclock.py gave no record for {', '.join(missing)}")
    return records


def cpython_records(command, env, programs):
    """Every program's record under one CPython: the shared process, then the fresh ones."""
    shared = [p for p in programs if not reads_task_names(p["source"])]
    records = run_vclock(command, env, shared) if shared else {}
    for p in programs:
        if reads_task_names(p["source"]):
            records.update(run_vclock(command, env, [p]))
    return records


def invoke(binary, args, timeout):
    """Like run.py's `cli`, but a binary that is missing, or does not finish, is an answer too:
    (status or None, stdout, stderr)."""
    try:
        out = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
    except OSError as e:
        return None, "", f"could not run {binary}: {e}"
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")
        return None, text(e.stdout), f"no answer within {timeout} s\n{text(e.stderr)}"
    return out.returncode, out.stdout, out.stderr


def parse_records(stdout):
    """The JSON objects of the binary's output, in order, and the lines that were not JSON."""
    records, junk = [], []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            junk.append(line)
            continue
        if isinstance(record, dict):
            records.append(record)
        else:
            junk.append(line)
    return records, junk


def interleave_records(binary, programs):
    """{id: record or a string saying why there is none}. One run for the whole corpus; a
    program left without a record (a crash, a line that is not JSON, a missing object) is run
    again on its own, so that the failure is laid at its door."""
    args = ["run"]
    for p in programs:
        args += ["--file", p["path"]]
    status, out, err = invoke(binary, args + ["--json"], BATCH_TIMEOUT)
    records, junk = parse_records(out)
    ours = {}
    if len(records) == len(programs) and not junk:
        kept = len(programs)
    elif status not in (0, None) and not junk:
        kept = len(records)  # it stopped (a panic): the records before are in order
    else:
        kept = 0  # a record missing or a stray line: which is whose is not known
    for p, r in zip(programs[:kept], records):
        ours[p["id"]] = r
    for p in programs[kept:]:
        status, out, err = invoke(binary, ["run", "--file", p["path"], "--json"], SOLO_TIMEOUT)
        records, junk = parse_records(out)
        if len(records) == 1 and not junk:
            ours[p["id"]] = records[0]
            continue
        why = []
        if status is None:
            why.append(err.splitlines()[0] if err else "the binary did not run")
        elif status != 0:
            why.append(f"exit status {status}")
        if not records:
            why.append("no JSON record")
        elif len(records) > 1:
            why.append(f"{len(records)} JSON records for one file")
        if junk:
            why.append(f"not JSON: {junk[0][:200]!r}")
        if err.strip() and status is not None:
            why.append(f"stderr: {tail(err)}")
        ours[p["id"]] = "; ".join(why)
    return ours


def differences(ours, theirs):
    """What differs between Interleave's record and CPython's, in words (none if they agree)."""
    if isinstance(ours, str):
        return [f"Interleave gave no record: {ours}"]
    if "errors" in ours:
        refusals = [
            f"line {e.get('line')}, column {e.get('column')}: {e.get('message')}"
            for e in ours["errors"] or [{}]
        ]
        return ["Interleave refused the program: " + "; ".join(refusals)]
    if (theirs.get("error") or "").startswith("Hang"):
        return [f"the program itself is broken: CPython says {theirs['error']}"]
    # run.py's compare counts any uncaught CPython error as a difference; here an uncaught
    # error is part of what a program does, and it must be the same one.
    try:
        diffs = scenarios.compare(ours, dict(theirs, error=None))
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        return [f"Interleave's record is malformed ({type(e).__name__}: {e})"]
    if ours.get("error") != theirs.get("error"):
        diffs.insert(0, f"error {ours.get('error')!r} vs CPython {theirs.get('error')!r}")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--binary", default=os.path.join(target, "debug", "interleave"))
    ap.add_argument("--only", metavar="SUBSTRING", help="only the programs whose file name has it")
    ap.add_argument(
        "--list-cpython",
        action="store_true",
        help="print each program's CPython 3.12 record (one JSON object a line) and stop",
    )
    ap.add_argument(
        "--strict", action="store_true", help="differences with 3.11 and 3.13 fail the tier too"
    )
    args = ap.parse_args()
    started = time.time()

    programs = find_programs(args.only)
    if not programs:
        print(f"code corpus: no program in {CORPUS} matches", file=sys.stderr)
        return 1
    pythons = scenarios.interpreters()
    if not pythons or pythons[0][0] != "3.12":
        print("code corpus: CPython 3.12, the reference, was not found", file=sys.stderr)
        return 1

    if args.list_cpython:
        version, command, env = pythons[0]
        try:
            records = cpython_records(command, env, programs)
        except RuntimeError as e:
            print(f"code corpus: CPython {version} failed: {e}", file=sys.stderr)
            return 1
        for p in programs:
            sys.stdout.write(json.dumps(records[p["id"]]) + "\n")
        return 0

    runnable = os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)
    if not runnable and shutil.which(args.binary) is None:
        print(f"code corpus: no Interleave binary at {args.binary}", file=sys.stderr)
        return 1
    ours = interleave_records(args.binary, programs)

    failing = set()
    noted = []
    for version, command, env in pythons:
        reference = version == pythons[0][0]
        try:
            theirs = cpython_records(command, env, programs)
        except RuntimeError as e:
            print(f"code corpus: CPython {version} failed: {e}", file=sys.stderr)
            return 1
        agree = 0
        for p in programs:
            diffs = differences(ours[p["id"]], theirs[p["id"]])
            if not diffs:
                agree += 1
                continue
            if reference or args.strict:
                failing.add(p["id"])
                print(f"  DIFFERS under CPython {version}: {p['id']}")
            elif p["id"] in failing:
                continue  # already told under the reference
            else:
                print(f"  (agrees with 3.12 but differs under CPython {version}: {p['id']})")
            for d in diffs:
                print(f"      {d}")
        if not reference:
            noted.append(f"{version}: {agree} identical")
        else:
            identical = agree

    took = time.time() - started
    others = f" ({', '.join(noted)})" if noted else ""
    count = f"{len(programs)} program{'' if len(programs) == 1 else 's'}"
    print(
        f"code corpus: {count}, {identical} identical to CPython 3.12{others}, "
        f"{len(failing)} failing, in {took:.1f} s"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
