"""How `crab eval` scales with the size of its files: wall time and peak memory at 1x, 10x and
100x the GPT-4 files, and a sharded run of the largest.

The files are made at run time in a temporary directory (never committed): copy c of the GPT-4
input and response files (c = 0 .. k-1) has every prompt followed by "\\n\\n(copy c)" (copy 0 is
the original) and every key increased by 10000 * c, so the k copies are k * 541 distinct
prompts, each with its own response, as a real large run has. Each size is run `--runs` times
with `/usr/bin/time -v` (the whole process: reading, scoring, writing both files, the report);
the table gives the median wall time and the largest peak resident set size ("Maximum resident
set size"), with the load average before the runs. The 1x run's files are checked against
Google's (`expected/`), and every run's row counts against its input.

With `--shards N`, the largest size is also run as N shards one after another (`--shard K/N`,
then `--merge`), and the merged files are checked byte for byte against the single run's.

    cargo build --release -p crab-cli
    python3 scripts/bench/eval_scaling.py --runs 3 --shards 3
    python3 scripts/bench/eval_scaling.py --crab /path/to/other/crab   # e.g. an older build
"""

import argparse
import filecmp
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "ifeval")
INPUT = os.path.join(DATA, "input_data_gpt4_20231107_145030.jsonl")
RESPONSES = os.path.join(DATA, "input_response_data_gpt4_20231107_145030.jsonl")
RESULTS = ["eval_results_strict.jsonl", "eval_results_loose.jsonl"]


def replicate(k, directory):
    """Writes k copies of the GPT-4 files (distinct prompts and keys) into `directory`."""
    inputs = [json.loads(line) for line in open(INPUT, encoding="utf-8")]
    responses = [json.loads(line) for line in open(RESPONSES, encoding="utf-8")]
    paths = os.path.join(directory, f"in_{k}x.jsonl"), os.path.join(directory, f"resp_{k}x.jsonl")
    with open(paths[0], "w", encoding="utf-8") as fi, open(paths[1], "w", encoding="utf-8") as fr:
        for c in range(k):
            suffix = "" if c == 0 else f"\n\n(copy {c})"
            for row in inputs:
                fi.write(json.dumps(dict(row, key=row["key"] + 10000 * c, prompt=row["prompt"] + suffix)) + "\n")
            for row in responses:
                fr.write(json.dumps(dict(row, prompt=row["prompt"] + suffix)) + "\n")
    return paths


def time_v(cmd, cwd):
    """Runs `cmd` under /usr/bin/time -v; returns (wall seconds, peak RSS in KiB, stdout)."""
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    h, m, s = wall.groups()
    return int(h or 0) * 3600 + int(m) * 60 + float(s), int(rss.group(1)), proc.stdout


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def mb(n_bytes):
    return n_bytes / 1e6


def main():
    default_target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--crab", default=os.path.join(default_target, "release", "crab"))
    p.add_argument("--sizes", default="1,10,100")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--shards", type=int, default=0)
    p.add_argument("--crab-args", default="", help="extra arguments for crab eval, e.g. '--jobs 1'")
    args = p.parse_args()
    crab = os.path.abspath(args.crab)
    extra = args.crab_args.split()
    work = tempfile.mkdtemp(prefix="crab-scaling-")
    try:
        print(f"crab: {crab}; {os.cpu_count()} cores; load average before: {loadavg()}")
        print()
        print("| size | rows | input | responses | wall (median) | peak RSS (max) | rows/s | load before |")
        print("|---|---|---|---|---|---|---|---|")
        largest = None
        for k in [int(s) for s in args.sizes.split(",")]:
            inp, resp = replicate(k, work)
            rows = 541 * k
            walls, rss = [], []
            load = loadavg()
            for run in range(args.runs):
                out = os.path.join(work, f"out_{k}x")
                wall, peak, _ = time_v([crab, "eval", "--input-data", inp, "--responses", resp, "--output-dir", out] + extra, work)
                walls.append(wall)
                rss.append(peak)
                for name in RESULTS:
                    with open(os.path.join(out, name), encoding="utf-8") as f:
                        n = sum(1 for _ in f)
                    if n != rows:
                        sys.exit(f"{k}x: {name} has {n} rows, expected {rows}")
                if k == 1:
                    for name in RESULTS:
                        if not filecmp.cmp(os.path.join(out, name), os.path.join(DATA, "expected", name), shallow=False):
                            sys.exit(f"1x: {name} differs from Google's")
            wall = statistics.median(walls)
            print(
                f"| {k}x | {rows:,} | {mb(os.path.getsize(inp)):.1f} MB | {mb(os.path.getsize(resp)):.1f} MB "
                f"| {wall:.2f} s | {max(rss) / 1024:.0f} MB | {rows / wall:,.0f} | {load} |",
                flush=True,
            )
            largest = (k, inp, resp, os.path.join(work, f"out_{k}x"))
            # Keep the largest size's files for the sharded run; drop the others.
            if k != max(int(s) for s in args.sizes.split(",")):
                os.remove(inp)
                os.remove(resp)
        if args.shards > 1 and largest:
            k, inp, resp, single = largest
            n = args.shards
            print()
            print(f"{k}x as {n} shards, one after another, then merged:")
            print()
            print("| step | wall | peak RSS |")
            print("|---|---|---|")
            dirs = []
            for s in range(1, n + 1):
                d = os.path.join(work, f"shard_{s}")
                dirs.append(d)
                wall, peak, _ = time_v([crab, "eval", "--input-data", inp, "--responses", resp, "--output-dir", d, "--shard", f"{s}/{n}"] + extra, work)
                print(f"| shard {s}/{n} | {wall:.2f} s | {peak / 1024:.0f} MB |", flush=True)
            merged = os.path.join(work, "merged")
            wall, peak, _ = time_v([crab, "eval", "--merge"] + dirs + ["--output-dir", merged], work)
            print(f"| merge | {wall:.2f} s | {peak / 1024:.0f} MB |")
            for name in RESULTS:
                if not filecmp.cmp(os.path.join(merged, name), os.path.join(single, name), shallow=False):
                    sys.exit(f"merged {name} differs from the single run's")
            print()
            print("The merged files are byte-identical to the single run's.")
        print()
        print(f"load average after: {loadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
