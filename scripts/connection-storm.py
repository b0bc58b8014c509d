#!/usr/bin/env python3
"""A connection storm, slowloris and a client that never reads, against `regdrill serve` under a descriptor limit.

    scripts/connection-storm.py [--idle 1100] [--slowloris 1000] [--nofile 1024] [--seconds 30]
                                [--pipeline-seconds 10] [--head-timeout 15] [--max-connections N] [--binary PATH]

Starts `regdrill serve --port 0 --password-cost bulk --era 2021-06-01` (no emailed login codes) with `ulimit -n` set to --nofile, publishes one package, then:

1. The storm, for --seconds: opens --idle connections that send nothing and --slowloris connections that send an
   unfinished request head and then one more byte every second. Meanwhile a prober opens a fresh connection every
   half second and GETs the package (`Connection: close`), as a participant's `npm install` would. Every storm
   connection the server closes is timed from when it was opened.
2. A client that pipelines GETs of the package for --pipeline-seconds and never reads an answer; the server's
   resident memory is sampled every 0.2 s.

Prints: whether the server is alive at the end, the prober's answers (ok, failed, p50 and max latency), how many
storm connections were opened and how many the server closed (at its connection limit, soon after opening, or at
the request-head deadline), the most descriptors the server had open, and the server's memory before and during
the pipelining. Exits 1 when the server died, a probe failed, the server held more descriptors than --nofile
allows, or the pipelining client grew the server by more than 200 MB; 0 otherwise.

Before the connection limits (docs/hardening.md, "Connections"), 1,100 idle connections at `ulimit -n 1024`
crashed the server, none of 1,000 slowloris connections was closed in 30 s, and the pipelining client grew the
server to 2.5 GB in 37 s.

Short form for the test suite: `--idle 60 --slowloris 40 --nofile 128 --seconds 4 --pipeline-seconds 2
--head-timeout 2` (about 10 seconds). The binary comes from --binary, else $REGDRILL, else a release build.
"""

import argparse
import os
import resource
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse

import regdrill_harness as h

PACKAGE = "storm-target"
PIPELINE_GROWTH_LIMIT_KIB = 200 * 1024


def raise_own_descriptor_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise SystemExit(f"this script needs {needed} descriptors and the hard limit is {hard}: use fewer connections")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def probe(host, port, path, timeout=10.0):
    """A fresh connection, one GET with Connection: close; returns (status or None, seconds)."""
    started = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else None
    except OSError:
        status = None
    return status, time.perf_counter() - started


class Prober(threading.Thread):
    def __init__(self, host, port, path, server):
        super().__init__(daemon=True)
        self.host, self.port, self.path, self.server = host, port, path, server
        self.results = []
        self.max_descriptors = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.results.append(probe(self.host, self.port, self.path))
            self.max_descriptors = max(self.max_descriptors, self.server.open_descriptors() or 0)
            self.stopping.wait(0.5)


def storm(host, port, idle, slowloris, seconds, server, path):
    """Returns a dict of figures for the storm phase."""
    selector = selectors.DefaultSelector()
    opened_at = {}
    kinds = {}
    failed_to_open = 0
    head = f"GET /{PACKAGE} HTTP/1.1\r\nHost: {host}\r\n".encode()

    prober = Prober(host, port, path, server)
    prober.start()
    started = time.monotonic()
    for i in range(idle + slowloris):
        kind = "idle" if i < idle else "slowloris"
        try:
            s = socket.create_connection((host, port), timeout=2)
            s.setblocking(False)
            if kind == "slowloris":
                s.send(head)
        except OSError:
            failed_to_open += 1
            continue
        opened_at[s] = time.monotonic()
        kinds[s] = kind
        selector.register(s, selectors.EVENT_READ)
    opening_seconds = time.monotonic() - started

    closed_after = {"idle": [], "slowloris": []}
    deadline = time.monotonic() + seconds
    next_drip = time.monotonic() + 1
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            s = key.fileobj
            try:
                gone = s.recv(4096) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            if gone:
                closed_after[kinds[s]].append(time.monotonic() - opened_at[s])
                selector.unregister(s)
                s.close()
                del opened_at[s]
        if time.monotonic() >= next_drip:
            next_drip += 1
            for s in [s for s in opened_at if kinds[s] == "slowloris"]:
                try:
                    s.send(b"X")
                except BlockingIOError:
                    pass
                except OSError:
                    closed_after["slowloris"].append(time.monotonic() - opened_at[s])
                    selector.unregister(s)
                    s.close()
                    del opened_at[s]
        prober.max_descriptors = max(prober.max_descriptors, server.open_descriptors() or 0)
    prober.stopping.set()
    prober.join()
    still_open = len(opened_at)
    for s in list(opened_at):
        s.close()
    selector.close()
    return {
        "opened": idle + slowloris - failed_to_open,
        "failed_to_open": failed_to_open,
        "opening_seconds": opening_seconds,
        "closed_after": closed_after,
        "still_open": still_open,
        "probes": prober.results,
        "max_descriptors": prober.max_descriptors,
    }


def pipeline_without_reading(host, port, seconds, server):
    request = f"GET /{PACKAGE} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode() * 1000
    s = socket.create_connection((host, port), timeout=5)
    s.setblocking(False)
    before = server.rss_kib() or 0
    peak = before
    sent = 0
    deadline = time.monotonic() + seconds
    next_sample = 0.0
    while time.monotonic() < deadline:
        try:
            sent += s.send(request)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
        if time.monotonic() >= next_sample:
            next_sample = time.monotonic() + 0.2
            peak = max(peak, server.rss_kib() or 0)
    s.close()
    return {"sent": sent, "rss_before": before, "rss_peak": peak, "requests": sent // (len(request) // 1000)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, default=1100)
    parser.add_argument("--slowloris", type=int, default=1000)
    parser.add_argument("--nofile", type=int, default=1024, help="the server's ulimit -n")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pipeline-seconds", type=float, default=10)
    parser.add_argument("--head-timeout", type=int, default=15, help="the server's --request-head-timeout")
    parser.add_argument("--max-connections", type=int, help="the server's --max-connections (default: its own)")
    parser.add_argument("--binary")
    args = parser.parse_args()

    raise_own_descriptor_limit(args.idle + args.slowloris + 256)
    binary = h.find_binary(args.binary)
    workdir = tempfile.mkdtemp(prefix="regdrill-storm-")
    extra = ["--request-head-timeout", str(args.head_timeout)]
    if args.max_connections:
        extra += ["--max-connections", str(args.max_connections)]
    server = h.Server(binary, os.path.join(workdir, "server.log"), users=["alice:storm-password-1"], extra=extra, era="2021-06-01",
                      nofile=args.nofile)
    failures = []
    try:
        url = server.start()
        h.login_and_publish(url, "alice", "storm-password-1", PACKAGE, size=4096)
        address = urllib.parse.urlsplit(url)
        host, port = address.hostname, address.port

        figures = storm(host, port, args.idle, args.slowloris, args.seconds, server, f"/{PACKAGE}")
        alive_after_storm = server.running()
        pipeline = pipeline_without_reading(host, port, args.pipeline_seconds, server) if alive_after_storm else None
        alive = server.running()

        probes = figures["probes"]
        ok = [seconds for status, seconds in probes if status == 200]
        failed = len(probes) - len(ok)
        print(f"connection storm: {args.idle} idle + {args.slowloris} slowloris connections, for {args.seconds:g} s, "
              f"server at ulimit -n {args.nofile}, request-head timeout {args.head_timeout} s")
        print(f"  server alive at the end     {'yes' if alive else 'NO'}")
        if ok:
            print(f"  probes (GET /{PACKAGE})   {len(ok)} ok of {len(probes)}, p50 {statistics.median(ok) * 1000:.0f} ms, "
                  f"max {max(ok) * 1000:.0f} ms")
        else:
            print(f"  probes (GET /{PACKAGE})   0 ok of {len(probes)}")
        print(f"  storm connections opened    {figures['opened']} in {figures['opening_seconds']:.1f} s "
              f"({figures['failed_to_open']} could not connect)")
        for kind in ("idle", "slowloris"):
            closed = sorted(figures["closed_after"][kind])
            if closed:
                early = sum(1 for c in closed if c < args.head_timeout - 0.5)
                print(f"  {kind:<9} closed by server  {len(closed)}: {early} before the head deadline (to make room at the "
                      f"limit), {len(closed) - early} at it; median {statistics.median(closed):.1f} s after opening")
            else:
                print(f"  {kind:<9} closed by server  0")
        print(f"  still open at the end       {figures['still_open']}")
        print(f"  server descriptors, most    {figures['max_descriptors']} (limit {args.nofile})")
        if pipeline:
            print(f"pipelining without reading: {pipeline['requests']} requests sent in {args.pipeline_seconds:g} s "
                  f"({pipeline['sent'] / 1e6:.1f} MB); server RSS {pipeline['rss_before'] / 1024:.0f} MB before, "
                  f"{pipeline['rss_peak'] / 1024:.0f} MB at most")

        if not alive:
            failures.append("the server died")
        if failed:
            failures.append(f"{failed} probes failed")
        if figures["max_descriptors"] > args.nofile:
            failures.append("the server held more descriptors than its limit")
        if pipeline and pipeline["rss_peak"] - pipeline["rss_before"] > PIPELINE_GROWTH_LIMIT_KIB:
            failures.append("the pipelining client grew the server by more than 200 MB")
    except BaseException:
        h.conclude(server, workdir, failures or ["the run did not finish"], "verdict                       ")
        raise
    return h.conclude(server, workdir, failures, "verdict                       ")


if __name__ == "__main__":
    sys.exit(main())
