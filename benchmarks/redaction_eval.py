"""Precision and recall of external redaction, per kind, on a labelled corpus written for this purpose.

    python benchmarks/redaction_eval.py               # the held-out split (never tuned on)
    python benchmarks/redaction_eval.py --split dev   # the split the detectors were tuned on
    python benchmarks/redaction_eval.py --split dev --errors   # what was missed or wrongly redacted

The corpus (benchmarks/redaction_eval/*.jsonl) is one postmortem-style sentence per line, with the spans that
must go (`redact`: [kind, text]) and look-alikes that must stay (`keep`: model and service names, versions,
dates, commit hashes, metric names...). team.json is what a team would list in people.toml's keep list.

Recall of a kind: labelled spans of that kind wholly replaced (by any detector). Precision of a kind: spans that
detector replaced which overlap something labelled to go. Look-alikes kept: `keep` strings left intact.
Each item is redacted on its own (in a report, names are learned over the whole incident, which helps recall).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from workbench.services.redaction import KINDS, Redactor

HERE = Path(__file__).resolve().parent / "redaction_eval"


def occurrences(text: str, part: str) -> list[tuple[int, int]]:
    out, start = [], text.find(part)
    while start >= 0:
        out.append((start, start + len(part)))
        start = text.find(part, start + 1)
    return out


def labelled(item: dict) -> list[tuple[int, int, str]]:
    spans = {(s, e, kind) for kind, part in item["redact"] for s, e in occurrences(item["text"], part)}
    # "Jonas" inside "Jonas Becker" is the same mention: keep the outermost span of each kind.
    return sorted(
        sp for sp in spans if not any(o != sp and o[2] == sp[2] and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)
    )


def covered(span: tuple[int, int], predicted: list[tuple[int, int]]) -> bool:
    return all(any(s <= i < e for s, e in predicted) for i in range(span[0], span[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["heldout", "dev"], default="heldout")
    parser.add_argument("--errors", action="store_true", help="list misses and false positives (dev split only)")
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        print("--errors is for the dev split: the held-out split is only ever scored, never inspected", file=sys.stderr)
        return 2
    path = HERE / f"{args.split}.jsonl"
    if not path.is_file():
        print(f"corpus not found: {path}", file=sys.stderr)
        return 1
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    keep = json.loads((HERE / "team.json").read_text(encoding="utf-8"))["keep"]

    gold = dict.fromkeys(KINDS, 0)
    caught = dict.fromkeys(KINDS, 0)
    predicted = dict.fromkeys(KINDS, 0)
    correct = dict.fromkeys(KINDS, 0)
    kept = total_keep = 0
    errors: list[str] = []
    start = time.perf_counter()
    Redactor(keep=keep).learn(["Warm the model up."])  # loading spaCy is not part of the per-item time
    loaded = time.perf_counter()
    for item in items:
        text = item["text"]
        redactor = Redactor(keep=keep)
        redactor.learn([text])
        found = [(s, e, redactor.kind_of(kind)) for s, e, kind, _ in redactor.find(text)]
        spans = [(s, e) for s, e, _ in found]
        labels = labelled(item)
        for s, e, kind in labels:
            gold[kind] += 1
            if covered((s, e), spans):
                caught[kind] += 1
            else:
                errors.append(f"{item['id']} missed {kind}: {text[s:e]!r}")
        for s, e, kind in found:
            predicted[kind] += 1
            if any(s < le and ls < e for ls, le, _ in labels):
                correct[kind] += 1
            else:
                errors.append(f"{item['id']} wrongly redacted as {kind}: {text[s:e]!r}")
        for part in item["keep"]:
            for ks, ke in occurrences(text, part):
                total_keep += 1
                if any(s < ke and ks < e for s, e in spans):
                    errors.append(f"{item['id']} look-alike damaged: {part!r}")
                else:
                    kept += 1
    elapsed = time.perf_counter() - loaded

    print(f"{args.split} split: {len(items)} items, {sum(gold.values())} labelled spans, {total_keep} look-alikes")
    print(f"{'kind':<8} {'labelled':>8} {'caught':>7} {'recall':>7} {'redacted':>9} {'right':>6} {'precision':>9}")
    for kind in KINDS:
        recall = caught[kind] / gold[kind] if gold[kind] else float("nan")
        precision = correct[kind] / predicted[kind] if predicted[kind] else float("nan")
        print(
            f"{kind:<8} {gold[kind]:>8} {caught[kind]:>7} {recall:>7.1%} {predicted[kind]:>9} {correct[kind]:>6} "
            f"{precision:>9.1%}"
        )
    all_gold, all_caught = sum(gold.values()), sum(caught.values())
    all_pred, all_right = sum(predicted.values()), sum(correct.values())
    print(
        f"{'all':<8} {all_gold:>8} {all_caught:>7} {all_caught / all_gold:>7.1%} {all_pred:>9} {all_right:>6} "
        f"{all_right / max(all_pred, 1):>9.1%}"
    )
    print(f"look-alikes kept intact: {kept}/{total_keep} ({kept / max(total_keep, 1):.1%})")
    print(
        f"time: {loaded - start:.1f} s to load spaCy and detect-secrets, then "
        f"{elapsed / len(items) * 1000:.0f} ms per item"
    )
    if args.errors:
        print("\n".join(["", *errors]) if errors else "\nno errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
