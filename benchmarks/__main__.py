"""Run the benchmarks and print their figures as JSON (also written to benchmarks/out/)."""

import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

import django


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    here = Path(__file__).parent
    names = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = argv or names
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    results = {}
    for name in wanted:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        started = time.perf_counter()
        results[name] = module.run()
        results[name]["wall_seconds"] = round(time.perf_counter() - started, 3)
    out = here / "out"
    out.mkdir(exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=2, default=str)
    (out / "results.json").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
