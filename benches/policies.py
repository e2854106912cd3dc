#!/usr/bin/env python3
"""What policies cost: the 100 MB directory linted without policies, then with the stateful
suite's 25 ValidatingAdmissionPolicies (bound to StatefulSets, Services, claims, budgets and
Deployments; `tests/fixtures/policies/stateful`) given with `--policy`, once with the objects
in their own (mostly no) namespace and once all in `prod`, where every binding applies.
Prints the CPU and wall of each (the best of N runs) and the ratios; the issue's target is a
CPU ratio of at most 1.2.

Usage: benches/policies.py [--out DIR] [--runs N]
  DIR holds the generated corpus (default: $TMPDIR/stslint-bench, shared with table.py).
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table import CORPUS, ROOT, best, children_cpu  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "stslint-bench"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"skipped: {CORPUS} is absent")
        return 0
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "stslint")
    os.makedirs(args.out, exist_ok=True)
    big = os.path.join(args.out, "big")
    if not os.path.isdir(big):
        subprocess.run([sys.executable, os.path.join(CORPUS, "make_big.py"), "--corpus", CORPUS, "--out", args.out],
                       check=True, stdout=subprocess.DEVNULL)
    suite = os.path.join(ROOT, "tests", "fixtures", "policies", "stateful")
    base = [binary, "check", big, "--format", "json", "--exit-zero", "--quiet", "--isolated"]
    children_cpu()
    rows = [
        ("no policies", base),
        ("25 policies (--policy)", base + ["--policy", suite]),
        ("25 policies, every object in prod", base + ["--policy", suite, "--namespace", "prod"]),
    ]
    results = []
    for name, argv in rows:
        wall, cpu, rss, out = best(argv, args.runs)
        findings = out.count(b'"rule": "policy:')
        results.append((name, wall, cpu, rss, findings))
    floor_wall, floor_cpu = results[0][1], results[0][2]
    print("| run | wall s | CPU s | peak RSS MB | policy findings | CPU ratio | wall ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, wall, cpu, rss, findings in results:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {findings} | {cpu / floor_cpu:.2f} | {wall / floor_wall:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
