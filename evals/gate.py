"""The eval gate: floors (and ceilings) per group of questions, set from a measured
report by one stated rule, and checked by `council eval --check`.

The rule: a floor sits below the measured figure by a margin of at least
MIN_MARGIN and at least NOISE_QUESTIONS questions of the figure's own
denominator (2/n), rounded down to STEP; a ceiling sits above by the same margin.
On another CPU the last bits of an e5 cosine differ and a near tie can flip one
or two questions; that must not fail CI, a change that breaks something must.
Latency is never gated: it measures the machine, and benchmarks report it.

    python -m evals.gate evals/reports/latest/report.json        # print the floors the rule gives
    python -m evals.gate evals/reports/latest/report.json --write evals/thresholds.json
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from evals.metrics import GATED, HIGHER_IS_BETTER

MIN_MARGIN = 0.015
NOISE_QUESTIONS = 2
STEP = 0.005
RULE = (f"floor = measured - max({MIN_MARGIN}, {NOISE_QUESTIONS}/n), rounded down to {STEP}; "
        f"ceiling = measured + the same margin, rounded up; n = the questions (or citations, or abstentions) "
        f"the figure is counted over. Latency is not gated.")


def margin(counted: int) -> float:
    return max(MIN_MARGIN, NOISE_QUESTIONS / counted) if counted else 1.0


def limits(groups: dict[str, dict]) -> dict[str, dict]:
    """Floors and ceilings by the rule, with the measured figure beside each."""
    out: dict[str, dict] = {}
    for group, figures in groups.items():
        for metric in GATED:
            value, counted = figures.get(metric), figures.get("counted", {}).get(metric, 0)
            if value is None or not counted:
                continue
            if metric in HIGHER_IS_BETTER:
                limit = {"min": max(0.0, math.floor((value - margin(counted)) / STEP + 1e-9) * STEP)}
            else:
                limit = {"max": min(1.0, math.ceil((value + margin(counted)) / STEP - 1e-9) * STEP)}
            out.setdefault(group, {})[metric] = {**{k: round(v, 3) for k, v in limit.items()},
                                                 "measured": round(value, 4), "n": counted}
    return out


def check(groups: dict[str, dict], thresholds: dict[str, dict]) -> list[str]:
    """Every breached limit, as a readable line; [] when all hold. A limit on a group
    or figure the run does not have fails: a gate that cannot be checked must not pass."""
    failures = []
    for group, metrics in thresholds.items():
        for metric, limit in metrics.items():
            value = groups.get(group, {}).get(metric)
            label = f"{group} {metric}"
            if value is None:
                failures.append(f"{label}: not measured in this run (limit {limit})")
            elif "min" in limit and value < limit["min"]:
                failures.append(f"{label} = {value:.4g} is below its floor {limit['min']} (measured {limit.get('measured')})")
            elif "max" in limit and value > limit["max"]:
                failures.append(f"{label} = {value:.4g} is above its ceiling {limit['max']} (measured {limit.get('measured')})")
    return failures


def load(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if "groups" not in data:
        raise SystemExit(f"error: {path} has no \"groups\" object")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="a report.json written by `council eval`")
    parser.add_argument("--write", type=Path, help="write the thresholds file here")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    thresholds = {"rule": RULE, "mode": report["mode"], "embedder": report["embedder"],
                  "measured": {"created": report["created"], "report": str(args.report)},
                  "groups": limits(report["metrics"]["groups"])}
    text = json.dumps(thresholds, ensure_ascii=False, indent=1) + "\n"
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
