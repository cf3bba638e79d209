#!/usr/bin/env python3
"""Benchmark of `policygraph build` against the usual Python pipeline and
Oxigraph's own bulk load, on synthetic corpora made from the seeds.

For each size (MiB) it makes a corpus with ../shared/bench/make_corpus.py, then
in one run:
  1. `policygraph build CORPUS --store S` from an empty store: wall time,
     throughput (MiB/s), peak RSS;
  2. the spaCy + rdflib pipeline (../shared/bench/peer_spacy_rdflib.py) on the
     same corpus: the same figures, and the ratio;
  3. store loading: `policygraph` opening the store (the in-memory backend
     bulk-loads its parts; the RocksDB one opens its database, whose load is
     part of the build) against Oxigraph's bulk loader
     (`examples/bulk_load.rs`) on the export of the same quads;
  4. an incremental rebuild after one document changed;
and prints a table. Run by hand (it is not a timed test):

    cargo build --release --bins --examples
    python3 scripts/bench_build.py --sizes 8 64

Figures on a shared machine vary with its load; the ratios come from runs made
one after the other in the same invocation. `policygraph build` runs --repeat
times (3) per size: the table gives the median and the range. Pass --binary/--bulk-load for a
`--features rocksdb` build (its binaries live in another target directory).
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"


def measured(cmd):
    """Runs `cmd` under /usr/bin/time; returns (wall s, peak RSS MiB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M"] + [str(c) for c in cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr.decode()[-2000:]}")
    rss_kb = int(proc.stderr.decode().strip().splitlines()[-1])
    return elapsed, rss_kb / 1024, proc.stdout.decode()


def corpus(work, mb):
    path = work / f"corpus-{mb}"
    if not (path / ".done").exists():
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run(
            [sys.executable, BENCH / "make_corpus.py", "--seeds", ROOT / "seeds", "--out", path, "--mb", str(mb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (path / ".done").write_text("")
    size = sum(p.stat().st_size for p in path.glob("*.txt"))
    return path, size / (1024 * 1024)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[8, 64], help="corpus sizes in MiB")
    ap.add_argument("--binary", default=ROOT / "target" / "release" / "policygraph")
    ap.add_argument("--bulk-load", default=ROOT / "target" / "release" / "examples" / "bulk_load")
    ap.add_argument("--work", default="/tmp/policygraph-bench", help="scratch folder (corpora, stores)")
    ap.add_argument("--no-peer", action="store_true", help="skip the Python pipeline")
    ap.add_argument("--repeat", type=int, default=3, help="policygraph builds per size (the median is reported, with the range)")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for mb in args.sizes:
        src, mib = corpus(work, mb)
        files = len(list(src.glob("*.txt")))
        # Each build from empty goes to a new folder: building right after
        # deleting a store costs the file system more (ext4 scans the inodes
        # it just freed), which is the benchmark's doing, not the build's.
        stores = [work / f"store-{mb}-{i}" for i in range(args.repeat)]
        for store in stores:
            shutil.rmtree(store, ignore_errors=True)
        builds = [measured([args.binary, "build", src, "--store", store, "--quiet"]) for store in stores]
        for store in stores[:-1]:
            shutil.rmtree(store, ignore_errors=True)
        store = stores[-1]
        times = sorted(t for t, _, _ in builds)
        t_pg = times[len(times) // 2]
        rss_pg = max(rss for _, rss, _ in builds)
        row = {"MiB": mib, "files": files, "pg_s": t_pg, "pg_rss": rss_pg, "pg_range": (times[0], times[-1])}

        # Store loading: policygraph's open against Oxigraph's bulk load of
        # the same quads (the export of the store).
        t_open, rss_open, _ = measured([args.binary, "query", "ASK { }", "--store", store, "--format", "csv"])
        export = work / f"export-{mb}.nq"
        subprocess.run([args.binary, "export", "--store", store, "-o", export], check=True, stdout=subprocess.DEVNULL)
        bulk_cmd = [args.bulk_load, export]
        rocks = None
        if "rocks" in str(args.bulk_load):
            rocks = work / f"bulk-rocks-{mb}"
            shutil.rmtree(rocks, ignore_errors=True)
            bulk_cmd.append(rocks)
        t_bulk, rss_bulk, bulk_out = measured(bulk_cmd)
        if rocks:
            shutil.rmtree(rocks, ignore_errors=True)
        row.update(open_s=t_open, bulk_s=t_bulk, quads=bulk_out.split()[0])

        # Incremental: one document changed.
        texts = sorted(src.glob("*.txt"))
        victim = texts[len(texts) // 2]
        original = victim.read_bytes()
        try:
            victim.write_bytes(original + b"\n\nThe EU and Japan launched a Digital Partnership.\n")
            t_inc, rss_inc, inc_out = measured([args.binary, "build", src, "--store", store])
        finally:
            victim.write_bytes(original)
        row.update(inc_s=t_inc, inc_line=inc_out.splitlines()[0] if inc_out else "")

        if not args.no_peer:
            peer_out = work / f"peer-{mb}.nq"
            t_py, rss_py, _ = measured([sys.executable, BENCH / "peer_spacy_rdflib.py", "--corpus", src, "--out", peer_out])
            row.update(py_s=t_py, py_rss=rss_py)
        rows.append(row)
        print_row(row)
    print()
    print_table(rows)


def print_row(r):
    print(f"{r['MiB']:.1f} MiB: policygraph {r['pg_s']:.2f} s, Python {r.get('py_s', float('nan')):.2f} s", file=sys.stderr)


def print_table(rows):
    print("| corpus | files | policygraph build, median (range) | MiB/s | peak RSS | Python pipeline | MiB/s | peak RSS | ratio | open store | Oxigraph bulk load | load ratio | 1-doc change |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        pg_rate = r["MiB"] / r["pg_s"]
        py = r.get("py_s")
        py_rate = r["MiB"] / py if py else float("nan")
        print(
            f"| {r['MiB']:.1f} MiB | {r['files']} | {r['pg_s']:.2f} s ({r['pg_range'][0]:.2f}-{r['pg_range'][1]:.2f})"
            f" | {pg_rate:.2f} | {r['pg_rss']:.0f} MiB"
            f" | {py or float('nan'):.2f} s | {py_rate:.3f} | {r.get('py_rss', float('nan')):.0f} MiB"
            f" | {pg_rate / py_rate if py else float('nan'):.1f}x"
            f" | {r['open_s']:.2f} s | {r['bulk_s']:.2f} s ({r['quads']} quads) | {r['open_s'] / r['bulk_s']:.2f}"
            f" | {r['inc_s']:.2f} s |"
        )
    for r in rows:
        print(f"incremental ({r['MiB']:.1f} MiB): {r['inc_line']}")


if __name__ == "__main__":
    main()
