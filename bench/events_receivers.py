#!/usr/bin/env python3
"""Webhook receivers for bench/events: N HTTP/1.1 servers on loopback (one
asyncio process) that answer every POST with 200 and record, per request,
the receipt time and the SET's payload segment. Written for throughput:
no JWT decoding here (bench/events_bench.py does it afterwards).

  events_receivers.py --ports-file F --log-dir D --count 5
Writes the chosen ports to F, one per line; on SIGTERM flushes D/<port>.log.
"""
import argparse
import asyncio
import os
import signal
import time


async def serve(port_holder, log):
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                token = b""
                for line in head.split(b"\r\n"):
                    lower = line.lower()
                    if lower.startswith(b"authorization: bearer "):
                        token = line[len(b"authorization: bearer "):]
                    elif lower.startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                parts = token.split(b".")
                log.append((time.time(), parts[1] if len(parts) == 3 else b""))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    port_holder.append(server.sockets[0].getsockname()[1])
    return server


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports-file", required=True)
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--count", type=int, default=5)
    args = parser.parse_args()
    ports, logs, servers = [], [], []
    for _ in range(args.count):
        log = []
        logs.append(log)
        servers.append(await serve(ports, log))
    with open(args.ports_file + ".tmp", "w") as f:
        f.write("\n".join(map(str, ports)) + "\n")
    os.rename(args.ports_file + ".tmp", args.ports_file)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    for port, log in zip(ports, logs):
        with open(os.path.join(args.log_dir, f"{port}.log"), "wb") as f:
            for at, payload in log:
                f.write(b"%.6f %s\n" % (at, payload))


if __name__ == "__main__":
    asyncio.run(main())
