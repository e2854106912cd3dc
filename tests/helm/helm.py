"""A `helm template`-compatible command over helm-python-sdk (Helm's own Go engine, bound with
ctypes), for tests on machines without the helm binary:

    helm template RELEASE CHART_DIR [--values FILE]... [--set KEY=VALUE]... [--kube-version V]

prints each rendered template as `helm template` does: `---`, `# Source: CHART/templates/x`,
the manifest. Only what stslint's tests use is implemented.
"""

import sys

import helm_python as helm


def deep_merge(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def main(argv):
    if len(argv) < 3 or argv[0] != "template":
        print("usage: helm template RELEASE CHART [--values FILE]... [--set K=V]...", file=sys.stderr)
        return 2
    release, chart_dir, rest = argv[1], argv[2], argv[3:]
    values = {}
    i = 0
    while i < len(rest):
        flag, arg = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        if flag in ("-f", "--values") and arg is not None:
            with open(arg, encoding="utf-8") as f:
                deep_merge(values, helm.values_from_yaml(f.read()))
        elif flag == "--set" and arg is not None:
            deep_merge(values, helm.parse_set_string(arg))
        elif flag == "--kube-version" and arg is not None:
            # Accepted, not applied: the SDK renders with its own default Capabilities.
            pass
        else:
            print(f"helm: unsupported argument {flag}", file=sys.stderr)
            return 2
        i += 2
    with helm.Chart.load(chart_dir) as chart:
        rendered = chart.render(values, name=release, namespace="default", is_install=True)
    for path in sorted(rendered):
        manifest = rendered[path].strip()
        name = path.rsplit("/", 1)[-1]
        if not manifest or name.startswith("_") or name == "NOTES.txt":
            continue
        print(f"---\n# Source: {path}\n{manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
