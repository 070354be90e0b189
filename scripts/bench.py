"""`make bench`: training time, model load time, REST latency and memory.

    python scripts/bench.py [--skip-train] [--turns 200] [--senders 10]

Prints the figures; they are measured on this machine each run, never stored.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import rest_client  # noqa: E402
from bot.stack import MODEL, Stack  # noqa: E402
from tests import nlu_files  # noqa: E402

BIN = Path(sys.executable).parent


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--domain", "domain", "--data",
             "data/nlu", "data/rules", "data/stories", "--config", "config.yml",
             "--out", out, "--quiet"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def questions():
    examples = nlu_files.read(ROOT / "tests" / "nlu")
    return [e for intent, items in sorted(examples.items()) for e in items]


def run_sender(url, texts, latencies, errors):
    http = requests.Session()
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    for text in texts:
        start = time.perf_counter()
        try:
            replies = rest_client.send(url, sender, text, session=http)
            if not replies:
                errors.append(text)
        except requests.RequestException:
            errors.append(text)
        latencies.append((time.perf_counter() - start) * 1000)


def bench_latency(url, texts, senders, turns_each):
    latencies, errors = [], []
    threads = [
        threading.Thread(
            target=run_sender,
            args=(url, [texts[(i * 7 + j) % len(texts)] for j in range(turns_each)], latencies, errors),
        )
        for i in range(senders)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return latencies, errors, wall


def rss_mb(pids):
    total = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            total += proc.memory_info().rss + sum(
                c.memory_info().rss for c in proc.children(recursive=True)
            )
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--turns", type=int, default=200, help="sequential turns")
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--turns-each", type=int, default=40)
    args = parser.parse_args()

    rows = []
    if not args.skip_train:
        print("training from scratch (rasa train --force)…", flush=True)
        rows.append(("training time (full, --force)", f"{bench_training():.1f} s"))

    texts = questions()
    stack = Stack(MODEL, _free_port(), _free_port())
    start = time.perf_counter()
    stack.start()
    rows.append(("servers start → ready (model loaded)", f"{time.perf_counter() - start:.1f} s"))
    try:
        run_sender(stack.url, texts[:20], [], [])  # warm up
        latencies, errors, wall = bench_latency(stack.url, texts, 1, args.turns)
        rows.append((f"REST turn, sequential ({len(latencies)} turns) p50", f"{statistics.median(latencies):.1f} ms"))
        rows.append(("REST turn, sequential p95", f"{percentile(latencies, 95):.1f} ms"))
        latencies, errors2, wall = bench_latency(stack.url, texts, args.senders, args.turns_each)
        rows.append((f"REST turn, {args.senders} concurrent senders ({len(latencies)} turns) p50", f"{statistics.median(latencies):.1f} ms"))
        rows.append((f"REST turn, {args.senders} concurrent senders p95", f"{percentile(latencies, 95):.1f} ms"))
        rows.append(("throughput with concurrent senders", f"{len(latencies) / wall:.1f} turns/s"))
        rows.append(("failed or empty replies", str(len(errors) + len(errors2))))
        rows.append(("resident memory, both servers", f"{rss_mb(stack.pids()):.0f} MB"))
    finally:
        stack.stop()

    width = max(len(r[0]) for r in rows)
    print("\njiuye benchmark (this machine)")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
