#!/usr/bin/env python3
"""Coroutine, task and generator workloads: the CPython peers of loopbridge's
await_roundtrip_vs_asyncio_*, await_switch_vs_asyncio_*, task_create_vs_asyncio_*, generator_*_vs_python_* and
asyncgen_next_vs_asyncio_* comparisons, and the MEM task_bytes_asyncio figure.

Workloads (--workload), one batch each being --size ops:
  await       one task awaits asyncio.sleep(0) SIZE times                  ns per step
  switch      two tasks take turns, each awaiting asyncio.sleep(0) SIZE/2 times
              (every step switches tasks)                                  ns per step
  tasks       create_task(SIZE coroutines that return at once), gather     ns per task
  gen         a for loop sums a generator that yields SIZE ints            ns per item
  asyncgen    async for sums an async generator that yields SIZE ints      ns per item
              (the body yields without awaiting, like the JVM side)
  task_bytes  SIZE tasks each awaiting one never-completed future: the bytes tracemalloc sees
              allocated per suspended task (task, coroutine and its frame, name, the future's
              callback entry, the loop's task registry); prints "<median> <min> <max> <rss>":
              median, min and max over --runs, and the resident-set growth per task of a first
              run without tracemalloc (Linux; "nan" elsewhere), which adds allocator overhead

Standard library only; --loop uvloop uses uvloop when it is importable.

  coroutines.py --workload W [--size N] [--millis MS] [--loop asyncio|uvloop]
      one measurement: prints "<ns per op>"
  coroutines.py --serve ...
      warms up, prints "ready", then for each line "run [MS]" read from stdin measures for MS
      (default --millis) and prints "<ns per op>", so a driver can alternate rounds with its own;
      "quit" or EOF ends.
"""
import argparse
import asyncio
import gc
import statistics
import sys
import time

TIMED = ("await", "switch", "tasks", "gen", "asyncgen")


def new_loop(kind):
    if kind == "uvloop":
        import uvloop
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


# ---------------------------------------------------------------- batches


def await_batch(size):
    sleep = asyncio.sleep

    async def batch():
        for _ in range(size):
            await sleep(0)

    return batch


def switch_batch(size):
    sleep = asyncio.sleep

    async def turns(n):
        for _ in range(n):
            await sleep(0)

    async def batch():
        create_task = asyncio.get_running_loop().create_task
        a = create_task(turns(size // 2))
        b = create_task(turns(size // 2))
        await a
        await b

    return batch


def tasks_batch(size):
    async def noop():
        return None

    async def batch():
        create_task = asyncio.get_running_loop().create_task
        await asyncio.gather(*[create_task(noop()) for _ in range(size)])

    return batch


def numbers(n):
    for i in range(n):
        yield i


async def anumbers(n):
    for i in range(n):
        yield i


def gen_batch(size):
    def batch():
        total = 0
        for v in numbers(size):
            total += v
        return total

    return batch


def asyncgen_batch(size):
    async def batch():
        total = 0
        async for v in anumbers(size):
            total += v
        return total

    return batch


# ---------------------------------------------------------------- timing


def timed_sync(batch, size, millis):
    """Runs batch() for about `millis` ms (at least once); mean ns per op."""
    budget = millis * 1_000_000
    clock = time.perf_counter_ns
    batches = 0
    start = clock()
    while True:
        batch()
        batches += 1
        elapsed = clock() - start
        if elapsed >= budget:
            return elapsed / (batches * size)


async def timed_async(batch, size, millis):
    """The same inside a coroutine: the batches run in one task of the loop."""
    budget = millis * 1_000_000
    clock = time.perf_counter_ns
    batches = 0
    start = clock()
    while True:
        await batch()
        batches += 1
        elapsed = clock() - start
        if elapsed >= budget:
            return elapsed / (batches * size)


def make_measure(workload, size, loop):
    if workload == "gen":
        batch = gen_batch(size)
        return lambda millis: timed_sync(batch, size, millis)
    batch = {"await": await_batch, "switch": switch_batch, "tasks": tasks_batch, "asyncgen": asyncgen_batch}[workload](size)
    return lambda millis: loop.run_until_complete(timed_async(batch, size, millis))


# ---------------------------------------------------------------- memory


def rss_bytes():
    """Resident set size of this process (Linux), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def task_bytes(loop, n, use_rss=False):
    """Bytes per task suspended on a never-completed future: allocated as tracemalloc sees it, or
    (use_rss) the growth of the resident set, meaningful only in a fresh process's first run."""
    import tracemalloc

    def start():
        if use_rss:
            return rss_bytes()
        tracemalloc.start()
        return tracemalloc.get_traced_memory()[0]

    def stop():
        if use_rss:
            return rss_bytes()
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return used

    async def main():
        never = loop.create_future()

        async def waiter():
            await never

        tasks = [None] * n  # the holder is allocated before the baseline: not counted
        create_task = loop.create_task
        gc.collect()
        before = start()
        for i in range(n):
            tasks[i] = create_task(waiter())
        await asyncio.sleep(0)  # every task runs its first step, up to `await never`
        gc.collect()
        after = stop()
        if any(t.done() for t in tasks):
            raise RuntimeError("a waiting task finished")
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return (after - before) / n if before is not None and after is not None else float("nan")

    return loop.run_until_complete(main())


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", choices=TIMED + ("task_bytes",), required=True)
    p.add_argument("--size", type=int, default=1000)
    p.add_argument("--millis", type=int, default=300)
    p.add_argument("--runs", type=int, default=3, help="task_bytes: repetitions (median printed)")
    p.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    p.add_argument("--serve", action="store_true")
    args = p.parse_args()
    if args.size < 1:
        p.error("--size must be at least 1")

    loop = new_loop(args.loop)
    try:
        if args.workload == "task_bytes":
            if args.serve:
                p.error("task_bytes is a one-shot measurement: no --serve")
            rss = task_bytes(loop, args.size, use_rss=True)  # first: later runs reuse freed memory
            values = [task_bytes(loop, args.size) for _ in range(max(1, args.runs))]
            print(f"{statistics.median(values):.1f} {min(values):.1f} {max(values):.1f} {rss:.1f}", flush=True)
            return
        measure = make_measure(args.workload, args.size, loop)
        measure(max(100, args.millis // 2))  # warm-up
        if not args.serve:
            print(f"{measure(args.millis):.2f}", flush=True)
            return
        print("ready", flush=True)
        for line in sys.stdin:
            words = line.split()
            if words == ["quit"]:
                break
            if not words or words[0] != "run" or len(words) > 2 or not all(w.isdigit() for w in words[1:]):
                print(f"error: expected 'run [MS]' or 'quit', got {line.strip()!r}", flush=True)
                continue
            millis = int(words[1]) if len(words) == 2 else args.millis
            print(f"{measure(millis):.2f}", flush=True)
    finally:
        loop.close()


if __name__ == "__main__":
    main()
