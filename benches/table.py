#!/usr/bin/env python3
"""The performance table of the README: every input of issue 11, measured end to end.

For each input: size, documents, wall time, CPU time (user + system), peak RSS, documents per
second, and the ratio of stslint's CPU to the parse-only floor (`stslint parse-floor`: the same
reads and the same parser over the same pieces, no tree, no rules). Worst-case shapes are built
at two sizes, N and 2N: the `x2` column is how much the time grew when the input doubled (2.0
is linear). yamllint, kubernetes-validate and checkov are timed on the same inputs when they are
on PATH.

Usage: benches/table.py [--out DIR] [--runs N] [--threads N] [--instructions] [--pairs N]
  DIR keeps the generated corpora between runs (default: $TMPDIR/stslint-bench).
  --instructions adds, for each worst-case shape, how much the instruction count grew when the
  input doubled (valgrind's callgrind: the same figure on every run, whatever else the machine
  is doing, where wall and CPU time swing by a third on a shared VM; slow: tens of G instructions).
  --pairs N runs `check` and `parse-floor` N times each, alternately, on the 100 MB directory and
  the 100 MB file, and prints the medians: the machine's drift then weighs on both alike.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


def measure(argv, env=None):
    """(wall s, cpu s, peak RSS MB, stdout) of one run.

    Peak RSS comes from /usr/bin/time when it is there: a child forked from this (large)
    Python process reports the parent's high-water mark as its own on Linux.
    """
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    wrapped = [timer, "-f", "%M"] + argv if timer else argv
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    rss = None
    if timer:
        try:
            rss = int(err.decode().strip().splitlines()[-1]) / 1024
        except (ValueError, IndexError):
            rss = None
    return wall, children_cpu(), rss if rss is not None else 0.0, out


_CHILDREN_CPU = [0.0]


def children_cpu():
    """CPU seconds of the child that just finished (and its own children: stslint under
    time), from this process's running total of its children."""
    import resource
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = now.ru_utime + now.ru_stime
    spent = total - _CHILDREN_CPU[0]
    _CHILDREN_CPU[0] = total
    return spent


def best(argv, runs, env=None):
    """The run with the least CPU of `runs` (the machine's noise only ever adds)."""
    results = [measure(argv, env) for _ in range(runs)]
    return min(results, key=lambda r: r[1])


def size_mb(path):
    if os.path.isfile(path):
        return os.path.getsize(path) / 1e6
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total / 1e6


# Worst-case shapes: name -> function(n) -> text. Each is one file.
def nested_anchors(n):
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    doc = "\n".join(lines) + "\n"
    return "---\n".join(doc.replace("&a", f"&d{k}a").replace("*a", f"*d{k}a") for k in range(n))


def merge_key(n):
    return "base: &b {" + ", ".join(f"k{i}: {i}" for i in range(n)) + "}\nobj:\n  <<: *b\n  x: 1\n"


def shared_selector(n):
    out = []
    for i in range(n):
        out.append(f"""apiVersion: v1
kind: Service
metadata: {{name: s{i}}}
spec:
  clusterIP: None
  selector: {{app: shared}}
  ports: [{{name: web, port: 80, targetPort: web}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: t{i}}}
spec:
  serviceName: s{i}
  podManagementPolicy: Parallel
  selector: {{matchLabels: {{app: shared}}}}
  template:
    metadata: {{labels: {{app: shared}}}}
    spec: {{containers: [{{name: c, image: "nginx:1", ports: [{{name: web, containerPort: 80}}]}}]}}
""")
    return "---\n".join(out)


def wrong_target_port(n):
    # Every Service selects every pod, each pod names its port differently, and no Service's
    # target port exists: the help lists the port names, and must stay short.
    text = shared_selector(n).replace("targetPort: web", "targetPort: nope")
    parts = text.split("name: web, containerPort")
    return "".join(p + (f"name: p{i}, containerPort" if i < len(parts) - 1 else "") for i, p in enumerate(parts))


def chart_copies(n):
    lab = os.path.join(CORPUS, "lab")
    texts = []
    for root, _, files in sorted(os.walk(lab)):
        for f in sorted(files):
            if f.endswith((".yaml", ".yml")):
                texts.append(open(os.path.join(root, f), encoding="utf-8").read())
    one = "\n---\n".join(texts)
    return "\n---\n".join(one for _ in range(n))


def link_findings(n):
    # n StatefulSets naming a Service that does not exist: n cross-object findings in one file.
    return "---\n".join(
        f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: s{i}}}\nspec:\n  serviceName: missing\n"
        f"  podManagementPolicy: Parallel\n  selector: {{matchLabels: {{app: a{i}}}}}\n"
        f"  template:\n    metadata: {{labels: {{app: a{i}}}}}\n    spec: {{containers: [{{name: c, image: \"x:1\"}}]}}\n"
        for i in range(n)
    )


def suppressions(n):
    return link_findings(n).replace(
        "serviceName: missing\n",
        "serviceName: missing # stslint: ignore[statefulset-service-not-found] benchmark\n",
    )


def selector_labels(n):
    labels = ", ".join(f"l{i}: v{i}" for i in range(n))
    return f"""apiVersion: v1
kind: Service
metadata: {{name: wide}}
spec:
  selector: {{{labels}}}
  ports: [{{port: 80}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: wide}}
spec:
  serviceName: wide
  podManagementPolicy: Parallel
  selector: {{matchLabels: {{{labels}}}}}
  template:
    metadata: {{labels: {{{labels}}}}}
    spec: {{containers: [{{name: c, image: "x:1"}}]}}
"""


SHAPES = [
    ("nested anchors (docs)", nested_anchors, 200),
    ("merge key (keys)", merge_key, 40_000),
    ("shared selector (Service+STS pairs)", shared_selector, 2_500),
    ("wrong targetPort (pairs)", wrong_target_port, 2_500),
    ("lab chart copies, no namespace", chart_copies, 500),
    ("link findings (STS)", link_findings, 40_000),
    ("suppressions", suppressions, 10_000),
    ("selector labels", selector_labels, 10_000),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "stslint-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="RAYON_NUM_THREADS (0: all cores)")
    parser.add_argument("--instructions", action="store_true", help="x2 by instruction count too (valgrind)")
    parser.add_argument("--pairs", type=int, default=0, help="interleaved check/floor pairs on the large inputs")
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"skipped: {CORPUS} is absent")
        return 0
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "stslint")
    out = args.out
    os.makedirs(out, exist_ok=True)
    if not os.path.isdir(os.path.join(out, "big")):
        subprocess.run([sys.executable, os.path.join(CORPUS, "make_big.py"), "--corpus", CORPUS, "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
    big100 = os.path.join(out, "big-100.yaml")
    if not os.path.exists(big100):
        with open(big100, "w", encoding="utf-8") as f:
            for root, _, files in sorted(os.walk(os.path.join(out, "big"))):
                for name in sorted(files):
                    if name.endswith((".yaml", ".yml")):
                        text = open(os.path.join(root, name), encoding="utf-8").read()
                        f.write(text if text.endswith("\n") else text + "\n")
                        f.write("---\n")
    children_cpu()  # the build above is not part of any row
    env = dict(os.environ)
    if args.threads:
        env["RAYON_NUM_THREADS"] = str(args.threads)

    rows = []
    inputs = [
        ("shared corpus", CORPUS),
        ("100 MB directory", os.path.join(out, "big")),
        ("50 MB file", os.path.join(out, "big-one.yaml")),
        ("100 MB file", big100),
        ("lab file (pre-commit)", os.path.join(CORPUS, "lab")),
    ]
    for label, path in inputs:
        rows.append(row(label, path, binary, args.runs, env))
    shapes_dir = os.path.join(out, "shapes")
    os.makedirs(shapes_dir, exist_ok=True)
    for label, make, n in SHAPES:
        results = []
        for size in (n, 2 * n):
            path = os.path.join(shapes_dir, f"{make.__name__}-{size}.yaml")
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(make(size))
            results.append(row(f"{label} n={size:,}", path, binary, args.runs, env))
        results[1]["x2"] = results[1]["cpu"] / max(results[0]["cpu"], 1e-3)
        if args.instructions and shutil.which("valgrind"):
            small, large = (instructions(binary, os.path.join(shapes_dir, f"{make.__name__}-{size}.yaml"))
                            for size in (n, 2 * n))
            results[1]["x2i"] = large / max(small, 1)
        rows.extend(results)

    extra = " x2 instructions |" if args.instructions else ""
    print("| input | MB | documents | wall s | CPU s | peak RSS MB | docs/s | CPU / parse floor | x2 |" + extra)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if extra else ""))
    for r in rows:
        x2 = f"{r['x2']:.2f}" if "x2" in r else ""
        x2i = (f" {r['x2i']:.2f} |" if "x2i" in r else " |") if extra else ""
        print(f"| {r['label']} | {r['mb']:.1f} | {r['docs']:,} | {r['wall']:.2f} | {r['cpu']:.2f} | "
              f"{r['rss']:.0f} | {r['docs'] / max(r['wall'], 1e-3):,.0f} | {r['ratio']:.2f} | {x2} |{x2i}")

    if args.pairs:
        print()
        print(f"| input | pairs | check wall s | check CPU s | floor wall s | floor CPU s | CPU / floor (median of pairs) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, path in (inputs[1], inputs[3]):
            print(pairs(label, path, binary, args.pairs, env))

    others = [tool for tool in ("yamllint", "kubernetes-validate", "checkov") if shutil.which(tool)]
    if others:
        print()
        print("| tool | input | wall s | CPU s | peak RSS MB |")
        print("|---|---|---:|---:|---:|")
        for tool in others:
            for label, path in inputs[:1] + inputs[4:]:
                # kubernetes-validate takes files, not directories.
                files = sorted(os.path.join(r, n) for r, _, names in os.walk(path) for n in names
                               if n.endswith((".yaml", ".yml")) and "/templates" not in r)
                argv = {"yamllint": [tool, "-d", "relaxed", path],
                        "kubernetes-validate": [tool, "--quiet"] + files,
                        "checkov": [tool, "-d", path, "--quiet", "--compact", "--framework", "kubernetes"]}[tool]
                wall, cpu, rss, _ = best(argv, 1)
                print(f"| {tool} | {label} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")
    return 0


def pairs(label, path, binary, n, env):
    """A table row: medians of `n` alternating runs of check and of the floor."""
    import statistics
    checks, floors = [], []
    for _ in range(n):
        checks.append(measure([binary, "check", "--format", "json", "--exit-zero", path], env))
        floors.append(measure([binary, "parse-floor", path], env))
    ratios = [c[1] / max(f[1], 1e-3) for c, f in zip(checks, floors)]
    med = statistics.median
    return (f"| {label} | {n} | {med(c[0] for c in checks):.2f} | {med(c[1] for c in checks):.2f} | "
            f"{med(f[0] for f in floors):.2f} | {med(f[1] for f in floors):.2f} | {med(ratios):.2f} |")


def instructions(binary, path):
    """Instructions stslint executes on `path` (callgrind's total; one thread, so that the
    count does not depend on how work is shared out)."""
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           binary, "check", "--format", "json", "--exit-zero", path],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    refs = [line for line in proc.stderr.splitlines() if "refs:" in line]
    return int(refs[-1].split()[-1].replace(",", "")) if refs else 0


def row(label, path, binary, runs, env):
    wall, cpu, rss, stdout = best([binary, "check", "--format", "json", "--exit-zero", path], runs, env)
    floor_wall, floor_cpu, _, floor_out = best([binary, "parse-floor", path], runs, env)
    import json
    try:
        docs = json.loads(stdout)["summary"]["documents"]
    except (ValueError, KeyError):
        docs = int(floor_out.split()[0])
    return {"label": label, "mb": size_mb(path), "docs": docs, "wall": wall, "cpu": cpu, "rss": rss,
            "ratio": cpu / max(floor_cpu, 1e-3), "floor_wall": floor_wall}


if __name__ == "__main__":
    sys.exit(main())
