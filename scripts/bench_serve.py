#!/usr/bin/env python3
"""Load benchmark of `policygraph serve` on loopback (run by hand, not a test).

Sends a fixed number of SPARQL requests (default 10,000, a simple SELECT on the
seeds graph) over keep-alive HTTP/1.1 connections, `--concurrency` at a time
(default 64), and reports errors, requests per second and latency percentiles.
Client connections are spread over `--processes` worker processes (each running
threads with one connection apiece) so that Python's GIL does not cap the rate.

Either point it at a running server:

    policygraph build seeds --store /tmp/bench-store
    policygraph serve --store /tmp/bench-store --bind 127.0.0.1:7878 &
    python3 scripts/bench_serve.py --url http://127.0.0.1:7878

or let it start (and stop) one on a free loopback port:

    cargo build --release
    python3 scripts/bench_serve.py --binary target/release/policygraph --store /tmp/bench-store

Only loopback addresses are accepted. Exits 1 when any request failed.
"""

import argparse
import http.client
import ipaddress
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

DEFAULT_QUERY = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?partner ?label WHERE {
  <https://w3id.org/policygraph/id/eu/european-union> pg:partnersWith ?partner .
  ?partner skos:prefLabel ?label .
} LIMIT 20"""


def worker(host, port, path, accept, count, threads, out):
    """Runs `threads` connections sending `count` requests in all; puts
    (latencies in seconds, errors, first error text) on `out`."""
    lock = threading.Lock()
    remaining = [count]
    latencies = []
    errors = [0, ""]

    def take():
        with lock:
            if remaining[0] == 0:
                return False
            remaining[0] -= 1
            return True

    def run():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine = []
        while take():
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": accept})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    raise RuntimeError(f"HTTP {r.status}")
                mine.append(time.perf_counter() - started)
            except Exception as e:  # noqa: BLE001 - counted and reported
                with lock:
                    errors[0] += 1
                    errors[1] = errors[1] or repr(e)
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((latencies, errors[0], errors[1]))


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(host, port, proc, limit=120):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if proc is not None and proc.poll() is not None:
            sys.exit(f"bench_serve: the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("bench_serve: the server does not answer")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:7878", help="base URL of a running server (loopback only)")
    ap.add_argument("--binary", help="start this policygraph binary instead (needs --store)")
    ap.add_argument("--store", help="store directory for --binary (built from seeds/ when missing)")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--processes", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--query", default=DEFAULT_QUERY)
    ap.add_argument("--accept", default="application/sparql-results+json")
    args = ap.parse_args()

    proc = None
    if args.binary:
        if not args.store:
            sys.exit("bench_serve: --binary needs --store")
        if not os.path.exists(os.path.join(args.store, "policygraph-store.toml")):
            subprocess.run([args.binary, "build", "seeds", "--store", args.store, "--quiet"], check=True)
        host, port = "127.0.0.1", free_port()
        proc = subprocess.Popen(
            [args.binary, "serve", "--store", args.store, "--bind", f"{host}:{port}"],
            stderr=subprocess.DEVNULL,
        )
    else:
        u = urllib.parse.urlsplit(args.url)
        host, port = u.hostname, u.port or 80
        try:
            loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
        except (OSError, ValueError):
            loopback = False
        if not loopback:
            sys.exit(f"bench_serve: {host} is not a loopback address; this benchmark only targets this machine")
    try:
        wait_until_up(host, port, proc)
        path = "/query?" + urllib.parse.urlencode({"query": args.query})
        # Warm-up and a check that the query answers.
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", path, headers={"Accept": args.accept})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit(f"bench_serve: the query fails: HTTP {r.status} {body[:300]!r}")
        conn.close()

        processes = max(1, min(args.processes, args.concurrency))
        ctx = multiprocessing.get_context("fork")
        out = ctx.Queue()
        jobs = []
        for i in range(processes):
            threads = args.concurrency // processes + (1 if i < args.concurrency % processes else 0)
            count = args.requests // processes + (1 if i < args.requests % processes else 0)
            jobs.append(ctx.Process(target=worker, args=(host, port, path, args.accept, count, threads, out)))
        started = time.perf_counter()
        for j in jobs:
            j.start()
        latencies, errors, first_error = [], 0, ""
        for _ in jobs:
            lat, err, first = out.get()
            latencies.extend(lat)
            errors += err
            first_error = first_error or first
        elapsed = time.perf_counter() - started
        for j in jobs:
            j.join()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()

    latencies.sort()
    ms = lambda p: percentile(latencies, p) * 1000  # noqa: E731
    print(f"requests     {args.requests} ({len(latencies)} ok, {errors} errors{': ' + first_error if first_error else ''})")
    print(f"concurrency  {args.concurrency} keep-alive connections in {processes} client processes")
    print(f"response     {len(body)} bytes of {args.accept}")
    print(f"elapsed      {elapsed:.2f} s")
    print(f"throughput   {len(latencies) / elapsed:.0f} requests/s")
    print(f"latency      p50 {ms(50):.2f} ms, p90 {ms(90):.2f} ms, p99 {ms(99):.2f} ms, max {ms(100):.2f} ms")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
