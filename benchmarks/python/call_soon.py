#!/usr/bin/env python3
"""Batched loop.call_soon: nanoseconds per callback (peer of loopbridge's call_soon_vs_asyncio).

One batch: a callback running inside the loop schedules BATCH - 1 empty callbacks and then
loop.stop, and run_forever() runs them all -- the same work as CallSoonBatch on the JVM side.
Standard library only; --loop uvloop uses uvloop when it is importable.

  call_soon.py [--batch N] [--millis MS] [--loop asyncio|uvloop]
      one measurement: prints "<ns per callback>"
  call_soon.py --serve ...
      warms up, prints "ready", then for each line "run [MS]" read from stdin measures for MS
      (default --millis) and prints "<ns per callback>", so a driver can alternate rounds with its
      own; "quit" or EOF ends.
"""
import argparse
import asyncio
import sys
import time


def new_loop(kind):
    if kind == "uvloop":
        import uvloop
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def make_batch(loop, size):
    call_soon = loop.call_soon
    stop = loop.stop

    def empty():
        pass

    def schedule():
        for _ in range(size - 1):
            call_soon(empty)
        call_soon(stop)

    def run():
        call_soon(schedule)
        loop.run_forever()

    return run


def measure(run_batch, size, millis):
    """Runs batches for about `millis` ms; returns the mean nanoseconds per callback."""
    budget = millis * 1_000_000
    clock = time.perf_counter_ns
    batches = 0
    start = clock()
    elapsed = 0
    while elapsed < budget:
        run_batch()
        batches += 1
        elapsed = clock() - start
    return elapsed / (batches * size)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--millis", type=int, default=300)
    p.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    p.add_argument("--serve", action="store_true")
    args = p.parse_args()
    if args.batch < 1:
        p.error("--batch must be at least 1")

    loop = new_loop(args.loop)
    try:
        run_batch = make_batch(loop, args.batch)
        measure(run_batch, args.batch, max(100, args.millis // 2))  # warm-up
        if not args.serve:
            print(f"{measure(run_batch, args.batch, args.millis):.2f}", flush=True)
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
            print(f"{measure(run_batch, args.batch, millis):.2f}", flush=True)
    finally:
        loop.close()


if __name__ == "__main__":
    main()
