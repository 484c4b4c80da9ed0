#!/usr/bin/env python3
"""The asyncio streams line-echo server (peer of loopbridge's echo_roundtrips_vs_asyncio).

Each connection runs the handler below: read a line, write it back, drain, until the client
closes -- the same loop as the loopbridge server in EchoServers.java. It only serves: the load
comes from a separate client process (EchoClient.java), the same one for every server measured.
Standard library only; --loop uvloop uses uvloop when it is importable.

  echo_server.py --serve [--loop asyncio|uvloop] [--host 127.0.0.1] [--port 0]
      listens, prints "ready", then answers each line read from stdin: "port" -> the port it
      listens on; "cpu" -> the CPU seconds this process has used (time.process_time()); "sys" -> the
      system (kernel) part of them (os.times().system); "quit" or
      EOF -> closes the server and its connections and exits.
"""
import argparse
import asyncio
import os
import sys
import threading
import time


def new_loop(kind):
    if kind == "uvloop":
        import uvloop
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


async def handle(reader, writer):
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    bound = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def commands():
        # A plain thread blocked on stdin holds no GIL while it waits: it does not slow the loop.
        try:
            for line in sys.stdin:
                word = line.strip()
                if word == "port":
                    print(bound, flush=True)
                elif word == "cpu":
                    # CPU seconds of the whole process (all threads), for the driver's per-round-trip figure
                    print(f"{time.process_time():.6f}", flush=True)
                elif word == "sys":
                    # the kernel's share of it (tick resolution): syscalls and loopback TCP work
                    print(f"{os.times().system:.6f}", flush=True)
                elif word == "quit":
                    break
                elif word:
                    print(f"error: expected 'port', 'cpu', 'sys' or 'quit', got {word!r}", flush=True)
        finally:
            loop.call_soon_threadsafe(stop.set)

    print("ready", flush=True)
    threading.Thread(target=commands, name="commands", daemon=True).start()
    await stop.wait()
    server.close()
    # close the connections still open, so wait_closed (3.12+) and the loop end promptly
    handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in handlers:
        task.cancel()
    await asyncio.gather(*handlers, return_exceptions=True)
    await asyncio.sleep(0)  # let the transports' close callbacks run


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--serve", action="store_true", help="accepted for symmetry with the other scripts; always serves")
    args = p.parse_args()

    loop = new_loop(args.loop)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(serve(args.host, args.port))
    finally:
        loop.close()


if __name__ == "__main__":
    main()
