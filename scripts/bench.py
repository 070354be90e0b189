"""`make bench`: training time, model load time, REST latency, CPU and memory.

    python scripts/bench.py [--skip-train] [--senders 10] [--turns-each 30]

Every figure is measured on this machine by this run; nothing is stored.
Workloads (questions are the unseen NLU test phrasings, in a fixed order):
- sequential: one sender, conversations of 10 turns, back to back;
- N senders at a person's pace: N threads, each waits THINK seconds after a reply
  0.5–1.5 × THINK seconds after a reply before its next message, starting at a
  random offset (a fast reader; real callers are slower);
- N senders with no pause: N threads sending back to back, which saturates the
  2-core machine; this measures capacity (turns per second) as much as latency;
- every load runs after a warm-up round of the saturation load (``warm_up``);
- the same two loads with two Rasa (Sanic) workers sharing a Redis lock store
  (JIUYE_WORKERS=2, JIUYE_LOCK_STORE), when Redis is reachable: one Rasa process
  is bound to one core, and two use both;
- levy conversations (the issue's one sentence, "1", "2" to the consent question),
  sequential and by N senders at a person's pace;
- the case ledger: 1,000 check results written by 10 processes at once to a scratch
  PostgreSQL database, then counted;
- the answers corpus (tests/interpret/answers.yml): how many natural answers the
  interpretation layer reads right;
- the plan evaluation set (tests/eval/plan_questions.yml): how many first replies hold
  the key facts and cite the right section, overall and by section;
- whole conversations (tests/e2e/conversations.yml) through the servers: how many
  go as a person needs (natural answers, corrections, 取消, stale and double presses);
- voice (scripts/bench_voice.py): intelligibility, recognition, latency, memory;
- Telegram (scripts/bench_telegram.py): update → reply against the Bot API stand-in.
"""
from __future__ import annotations

import argparse
import random
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

from bot.doors import rest_client  # noqa: E402
from bot.stack import MODEL, Stack, free_port, redis_reachable  # noqa: E402
from tests import nlu_files  # noqa: E402

TURNS_PER_CONVERSATION = 10
LEVY_QUESTION = "我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南，残保金要交多少？"
THINK = 1.0


def bench_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot.server", "train", "--force", "--domain", "domain", "--data",
             "data/nlu", "data/rules", "data/stories", "--config", "config.yml",
             "--out", out, "--quiet"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def run_all(workers) -> float:
    """Start threads or processes together, wait for all; returns the wall time."""
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - start


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def questions():
    examples = nlu_files.read(ROOT / "tests" / "nlu")
    return [e for _, items in sorted(examples.items()) for e in items]


def run_sender(url, texts, latencies, errors, think=0.0, conversation=TURNS_PER_CONVERSATION, seed=0):
    """Send ``texts`` in order. With ``think``, start at a random offset and pause a
    random 0.5–1.5 × think after each reply, so senders are not in lock step."""
    http = requests.Session()
    rng = random.Random(seed)
    sender = None
    if think:
        time.sleep(rng.uniform(0, think))
    for index, text in enumerate(texts):
        if index % conversation == 0:
            sender = f"bench-{uuid.uuid4().hex[:8]}"
        start = time.perf_counter()
        try:
            if not rest_client.send(url, sender, text, session=http):
                errors.append(text)
        except requests.RequestException:
            errors.append(text)
        latencies.append((time.perf_counter() - start) * 1000)
        if think:
            time.sleep(rng.uniform(0.5, 1.5) * think)


def cpu_seconds(pid):
    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc] + proc.children(recursive=True):
        times = p.cpu_times()
        total += times.user + times.system
    return total


def memory_mb(pids, kind: str = "rss"):
    """Resident memory of the processes and their children: "rss", or "pss" (pages
    shared between processes, forked workers and libraries, counted once in all)."""
    total = 0
    for pid in pids:
        proc = psutil.Process(pid)
        for p in [proc] + proc.children(recursive=True):
            total += p.memory_info().rss if kind == "rss" else p.memory_full_info().pss
    return total / 2**20


def warm_up(stack, texts, senders):
    """Steady state before measuring: one round of the saturation load, not counted, so
    that every worker has traced DIET's graph and remembered the common rule matches
    (a server that has just started answers its first few hundred turns more slowly)."""
    load(stack, texts, senders, 30)


def bench_workers(texts, args, workers: int) -> list:
    """Saturation again with ``workers`` Rasa (Sanic) workers sharing a Redis lock store."""
    stack = Stack(MODEL, free_port(), free_port(),
                  env={"JIUYE_WORKERS": str(workers), "JIUYE_LOCK_STORE": args.redis})
    stack.start()
    label = f"{workers} Rasa workers + Redis lock store"
    try:
        warm_up(stack, texts, args.senders)
        paced = load(stack, texts, args.senders, args.turns_each, think=THINK)
        burst = load(stack, texts, args.senders, args.turns_each)
        return [
            (f"{label}: {args.senders} senders, {THINK:.0f} s pause: p50 / p95",
             f"{paced['p50']:.1f} / {paced['p95']:.1f} ms"),
            (f"{label}: {args.senders} senders, no pause: p50 / p95",
             f"{burst['p50']:.1f} / {burst['p95']:.1f} ms, {burst['throughput']:.1f} turns/s"),
            (f"{label}: failed or empty replies", str(paced["errors"] + burst["errors"])),
            (f"{label}: memory, both servers, RSS / PSS",
             f"{memory_mb(stack.pids()):.0f} / {memory_mb(stack.pids(), 'pss'):.0f} MB"),
        ]
    finally:
        stack.stop()


def load(stack, texts, senders, turns_each, think=0.0):
    latencies, errors = [], []
    threads = [
        threading.Thread(
            target=run_sender,
            args=(stack.url, [texts[(i * 31 + j * 7) % len(texts)] for j in range(turns_each)],
                  latencies, errors, think, TURNS_PER_CONVERSATION, i),
        )
        for i in range(senders)
    ]
    action_pid, rasa_pid = stack.pids()
    cpu_before = cpu_seconds(rasa_pid), cpu_seconds(action_pid)
    wall = run_all(threads)
    cpu_after = cpu_seconds(rasa_pid), cpu_seconds(action_pid)
    turns = len(latencies)
    return {
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 95),
        "throughput": turns / wall,
        "rasa_cpu": (cpu_after[0] - cpu_before[0]) / turns * 1000,
        "action_cpu": (cpu_after[1] - cpu_before[1]) / turns * 1000,
        "errors": len(errors),
        "turns": turns,
    }


def _ledger_client(url, client, count, seconds):
    """One client of the ledger benchmark: ``count`` check results, each in its own
    transaction, for 5 consenting people of its own; time per write into ``seconds``."""
    from jiuye import ledger
    from jiuye.checks import levy

    eng = ledger.engine(url)
    result = levy.calculate(levy.LevyInput.of(200, 80000, disabled=1, province="湖南")).to_dict()
    for i in range(5):
        ledger.set_consent(f"bench-{client}-{i}", True, eng)
    for i in range(count):
        start = time.perf_counter()
        ledger.record_check(f"bench-{client}-{i % 5}", result, {"i": str(i)}, eng)
        seconds.append(time.perf_counter() - start)
    eng.dispose()


def bench_ledger(admin_url, clients=10, each=100):
    """1,000 check results written to a fresh PostgreSQL database by 10 concurrent clients
    (processes); returns (rows found, expected, seconds, p95 write ms) or None."""
    import multiprocessing

    from sqlalchemy import create_engine, text

    from jiuye import ledger

    name = f"jiuye_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        print(f"PostgreSQL not reachable, ledger benchmark skipped: {error}", file=sys.stderr)
        return None
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        ledger.migrate(url)
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager:
            seconds = manager.list()
            workers = [context.Process(target=_ledger_client, args=(url, c, each, seconds)) for c in range(clients)]
            wall = run_all(workers)
            writes = [x * 1000 for x in seconds]
        with create_engine(url, future=True).connect() as conn:
            found = conn.execute(text("select count(*) from check_results")).scalar_one()
        return found, clients * each, wall, percentile(writes, 95)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def levy_conversations(stack, senders, each, think):
    """``senders`` people at once, each doing ``each`` levy conversations: the issue's
    one sentence, "1" to compute, "2" to the consent question."""
    latencies, errors = [], []
    threads = [
        threading.Thread(target=run_sender, args=(stack.url, [LEVY_QUESTION, "1", "2"] * each, latencies,
                                                  errors, think, 3, 100 + i))
        for i in range(senders)
    ]
    run_all(threads)
    return latencies, errors


def bench_conversations(stack) -> tuple:
    """tests/e2e/conversations.yml through the running servers: passed, total, names failed."""
    from tests import conversations

    every = conversations.load()
    failed = [c["name"] for c in every if conversations.run(stack.url, c) is not None]
    return len(every) - len(failed), len(every), failed


def bench_answers() -> tuple:
    """The answers corpus (tests/interpret/answers.yml) read by the interpretation layer:
    how many give the expected value or are asked again when they should be."""
    from decimal import Decimal

    from jiuye.interpret import answers
    from tests.interpret import test_answers_corpus as corpus

    right, wrong = 0, []
    start = time.perf_counter()
    for name, said, expect in corpus.CASES:
        q = corpus.question(name)
        got = answers.answer(q, said)
        if expect == "ask":
            ok = not got.understood
        else:
            value = corpus.expected_value(q, expect)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ok = got.value is not None and Decimal(str(got.value)) == Decimal(str(value))
            else:
                ok = got.value == value
        right += ok
        if not ok:
            wrong.append(said)
    return right, len(corpus.CASES), wrong, (time.perf_counter() - start) / len(corpus.CASES) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--skip-voice", action="store_true")
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="Rasa workers for the second saturation run")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="lock store for several workers")
    parser.add_argument("--turns-each", type=int, default=60)
    parser.add_argument("--sequential", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="admin URL; a scratch database is created and dropped")
    args = parser.parse_args()

    rows = []
    right, total, wrong, micros = bench_answers()
    rows.append(("answers corpus read right (tests/interpret/answers.yml)",
                 f"{right} of {total} ({100 * right / total:.1f}%), {micros:.0f} µs an answer"
                 + (f"; wrong: {', '.join(wrong[:5])}" if wrong else "")))
    if not args.skip_train:
        print("training from scratch (rasa train --force) …", flush=True)
        rows.append(("training time, from scratch", f"{bench_training():.1f} s"))

    texts = questions()
    stack = Stack(MODEL, free_port(), free_port(), env={"JIUYE_WORKERS": "1", "JIUYE_LOCK_STORE": ""})
    start = time.perf_counter()
    stack.start()
    rows.append(("servers start → ready (model loaded)", f"{time.perf_counter() - start:.1f} s"))
    try:
        warm_up(stack, texts, args.senders)
        seq = load(stack, texts, 1, args.sequential)
        rows.append((f"sequential, {seq['turns']} turns: p50 / p95", f"{seq['p50']:.1f} / {seq['p95']:.1f} ms"))
        rows.append(("CPU per turn: Rasa server / action server", f"{seq['rasa_cpu']:.1f} / {seq['action_cpu']:.1f} ms"))
        paced = load(stack, texts, args.senders, args.turns_each, think=THINK)
        rows.append((f"{args.senders} senders, {THINK:.0f} s pause: p50 / p95",
                     f"{paced['p50']:.1f} / {paced['p95']:.1f} ms"))
        burst = load(stack, texts, args.senders, args.turns_each)
        rows.append((f"{args.senders} senders, no pause: p50 / p95",
                     f"{burst['p50']:.1f} / {burst['p95']:.1f} ms"))
        rows.append((f"{args.senders} senders, no pause: throughput", f"{burst['throughput']:.1f} turns/s"))
        levy_lat, levy_err = [], []
        for _ in range(30):  # the levy conversation: one sentence, compute, answer consent
            run_sender(stack.url, [LEVY_QUESTION, "1", "2"], levy_lat, levy_err)
        rows.append(("levy conversation turn, sequential: p50 / p95",
                     f"{statistics.median(levy_lat):.1f} / {percentile(levy_lat, 95):.1f} ms"))
        paced_levy, paced_levy_err = levy_conversations(stack, args.senders, 3, THINK)
        levy_err += paced_levy_err
        rows.append((f"levy conversation turn, {args.senders} senders, {THINK:.0f} s pause: p50 / p95",
                     f"{statistics.median(paced_levy):.1f} / {percentile(paced_levy, 95):.1f} ms"))
        long_lat, long_err = [], []
        run_sender(stack.url, [texts[(j * 7) % len(texts)] for j in range(100)], long_lat, long_err,
                   conversation=100)
        rows.append(("one 100-turn conversation: last 10 turns p50",
                     f"{statistics.median(long_lat[-10:]):.1f} ms"))
        from tests import plan_eval

        for name, path in plan_eval.SETS.items():
            rows += plan_eval.report(plan_eval.run(stack.url, path), name)
        passed, total, failed = bench_conversations(stack)
        rows.append(("whole conversations as people have them (tests/e2e/conversations.yml)",
                     f"{passed} of {total} pass ({100 * passed / total:.0f}%)"
                     + (f"; failed: {', '.join(failed[:5])}" if failed else "")))
        errors = seq["errors"] + paced["errors"] + burst["errors"] + len(long_err) + len(levy_err)
        rows.append(("failed or empty replies", str(errors)))
        rows.append(("memory, both servers, RSS / PSS",
                     f"{memory_mb(stack.pids()):.0f} / {memory_mb(stack.pids(), 'pss'):.0f} MB"))
        if not args.skip_voice:
            import bench_telegram
            import bench_voice

            print("voice benchmark …", flush=True)
            rows += bench_voice.run(stack.url)
            print("Telegram benchmark …", flush=True)
            rows += bench_telegram.run(stack.url)
    finally:
        stack.stop()
    if args.workers > 1 and redis_reachable(args.redis):
        rows += bench_workers(texts, args, args.workers)
    elif args.workers > 1:
        rows.append(("more Rasa workers", f"skipped: no Redis at {args.redis}"))
    written = bench_ledger(args.postgres)
    if written:
        found, expected, wall, p95 = written
        rows.append((f"ledger: {expected} check results by 10 clients to PostgreSQL",
                     f"{found} stored ({expected - found} lost), {wall:.1f} s, write p95 {p95:.1f} ms"))

    width = max(len(r[0]) for r in rows)
    print(f"\njiuye benchmark ({psutil.cpu_count()} cores)")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
