"""Benchmark: language identification for es, en and fr.

Compares, on the lingua test data (single words, word pairs, sentences) and on the bot's
own chat-style set (``bench/data/chat_messages.tsv``):

- ``langdetect`` as it comes: ``langdetect.detect``, all 55 languages, unseeded;
- ``langdetect`` seeded (``seed = 0``) on a private factory holding only es, en, fr;
- ``lingua`` restricted to en, es, fr (high-accuracy mode, its default), and the same in
  low-accuracy mode (trigrams only, far less memory);
- the project's resolver on the text alone (``LanguageResolver.detect``; when it
  abstains the answer counts as the default, "en").

Each detector runs in a fresh subprocess, so that the resident memory it adds (RSS after
building it and running it once, minus RSS before) is its own. Per message it records the
answer and the time taken (with the garbage collector off and, for the fast detectors,
the fastest of 3 runs, so that other processes on a shared machine stay out of the p99);
the parent prints accuracy per language and data set, median and p99 time per message,
start-up time and memory. The resolver's accuracy is also given separately on the even
lines of each file (looked at while its word lists were written) and the odd lines
(held out). No network.

Usage::

    python bench/language.py            # everything (1 to 3 minutes on 2 cores)
    python bench/language.py --quick    # 200 texts per language and data set

The lingua data is read from ``../shared/data/langid`` beside the repository (override
with ``LANGID_DATA``). Known defects of that data, handled when reading: the French
sentences hold U+0092 for apostrophes (read as ’) and U+0085 for ellipses (read as …, and
never as a line break), and the Spanish files lost almost every accented letter
("crditos" for "créditos").
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("LANGID_DATA") or ROOT.parent / "shared" / "data" / "langid")
CHAT = ROOT / "bench" / "data" / "chat_messages.tsv"
LANGS = ("es", "en", "fr")
DATASETS = ("single-words", "word-pairs", "sentences", "chat")
QUICK_LIMIT = 200
REPEAT = 3  # each message is timed this many times and the fastest run kept

DETECTORS: dict[str, str] = {
    "langdetect": "langdetect as it comes (55 languages, unseeded)",
    "langdetect-3": "langdetect seeded, es/en/fr profiles only",
    "lingua": "lingua, en/es/fr, high accuracy",
    "lingua-low": "lingua, en/es/fr, low accuracy",
    "resolver": "LanguageResolver.detect (text alone)",
}


# --- data -------------------------------------------------------------------------------


def load_samples(quick: bool) -> list[tuple[str, str, str]]:
    """All (dataset, language, text) triples, in a fixed order."""
    samples: list[tuple[str, str, str]] = []
    for dataset in DATASETS[:3]:
        for lang in LANGS:
            path = DATA / dataset / f"{lang}.txt"
            raw = path.read_text(encoding="utf-8")
            # Mis-decoded cp1252 punctuation; split on "\n" only (U+0085 is a line break
            # for str.splitlines).
            raw = raw.replace("\u0092", "’").replace("\u0085", "…")
            lines = [line.strip() for line in raw.split("\n") if line.strip()]
            if quick:
                lines = lines[:QUICK_LIMIT]
            samples.extend((dataset, lang, line) for line in lines)
    for line in CHAT.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        lang, text = line.split("\t", 1)
        samples.append(("chat", lang, text.strip()))
    return samples


# --- worker: one detector in its own process ----------------------------------------------


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def _build(name: str) -> Callable[[str], str | None]:
    if name == "langdetect":
        import langdetect

        def detect(text: str) -> str | None:
            try:
                return langdetect.detect(text)
            except langdetect.LangDetectException:
                return None

        return detect
    if name == "langdetect-3":
        from importlib import resources

        from langdetect import LangDetectException
        from langdetect.detector_factory import DetectorFactory

        factory = DetectorFactory()
        factory.seed = 0
        profiles = resources.files("langdetect") / "profiles"
        factory.load_json_profile([(profiles / lang).read_text(encoding="utf-8") for lang in LANGS])

        def detect(text: str) -> str | None:
            detector = factory.create()
            detector.append(text)
            try:
                return detector.detect()
            except LangDetectException:
                return None

        return detect
    if name in ("lingua", "lingua-low"):
        from lingua import Language, LanguageDetectorBuilder

        codes = {Language.ENGLISH: "en", Language.SPANISH: "es", Language.FRENCH: "fr"}
        builder = LanguageDetectorBuilder.from_languages(*codes)
        if name == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def detect(text: str) -> str | None:
            found = detector.detect_language_of(text)
            return None if found is None else codes[found]

        return detect
    if name == "resolver":
        sys.path.insert(0, str(ROOT))
        from bot.core.language import LanguageResolver

        resolver = LanguageResolver(default="en")
        return resolver.detect
    raise SystemExit(f"unknown detector {name!r}")


def worker(name: str, quick: bool) -> dict[str, Any]:
    """Build one detector, run it over every sample; report answers, times and memory."""
    samples = load_samples(quick)
    gc.collect()
    before = _rss()
    started = time.perf_counter()
    detect = _build(name)
    detect("Hello, this is the first message.")
    startup = time.perf_counter() - started
    gc.collect()
    memory = _rss() - before
    answers: list[str | None] = []
    times: list[int] = []
    clock = time.perf_counter_ns
    # As timeit does: no collector pauses, and the fastest of a few runs of each message,
    # so that other processes on a shared machine do not land in the p99.
    repeat = 1 if name.startswith("langdetect") else REPEAT
    gc.disable()
    for _, _, text in samples:
        best = None
        answer = None
        for run in range(repeat):
            begin = clock()
            found = detect(text)
            took = clock() - begin
            best = took if best is None else min(best, took)
            if run == 0:
                answer = found
        times.append(best or 0)
        answers.append(answer)
    gc.enable()
    result: dict[str, Any] = {
        "answers": answers,
        "times_ns": times,
        "startup_s": startup,
        "rss_bytes": memory,
    }
    if name == "langdetect":
        # Unseeded: a second pass over the same texts gives some different answers (every
        # fifth text, to save time).
        again = {i: detect(samples[i][2]) for i in range(0, len(samples), 5)}
        result["changed"] = sum(answers[i] != answer for i, answer in again.items())
        result["rechecked"] = len(again)
    if name == "resolver":
        # The whole resolve() a message goes through (explicit choice, text, hint...).
        sys.path.insert(0, str(ROOT))
        from bot.core.language import LanguageResolver

        resolver = LanguageResolver(default="en")
        resolver.resolve("warm up")
        resolve_times: list[int] = []
        gc.disable()
        for _, _, text in samples:
            took = []
            for _ in range(REPEAT):
                begin = clock()
                resolver.resolve(text, hint="en-US", previous="fr")
                took.append(clock() - begin)
            resolve_times.append(min(took))
        gc.enable()
        result["resolve_times_ns"] = resolve_times
    return result


# --- parent: run the workers, print the tables --------------------------------------------


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def _p99(values: list[int]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000


def report(samples: list[tuple[str, str, str]], results: dict[str, dict[str, Any]]) -> str:
    """The Markdown tables for the given samples and worker results."""
    out: list[str] = []
    counts = {d: sum(1 for s in samples if s[0] == d) for d in DATASETS}
    out.append(
        "Texts: "
        + ", ".join(f"{d} {counts[d]}" for d in DATASETS)
        + " (es/en/fr in equal parts, except chat: "
        + "/".join(str(sum(1 for s in samples if s[0] == "chat" and s[1] == g)) for g in LANGS)
        + ")."
    )
    out.append("")
    out.append("Accuracy (%), all three languages together; an abstention counts as 'en':")
    out.append("")
    out.append("| detector | " + " | ".join(DATASETS) + " |")
    out.append("|---|" + "---:|" * len(DATASETS))
    for name, result in results.items():
        row = []
        for dataset in DATASETS:
            idx = [i for i, s in enumerate(samples) if s[0] == dataset]
            right = sum((result["answers"][i] or "en") == samples[i][1] for i in idx)
            row.append(_pct(right, len(idx)))
        out.append(f"| {name} | " + " | ".join(row) + " |")
    out.append("")
    out.append("Accuracy (%) per language (es / en / fr):")
    out.append("")
    out.append("| detector | " + " | ".join(DATASETS) + " |")
    out.append("|---|" + "---|" * len(DATASETS))
    for name, result in results.items():
        row = []
        for dataset in DATASETS:
            cells = []
            for lang in LANGS:
                idx = [i for i, s in enumerate(samples) if s[0] == dataset and s[1] == lang]
                right = sum((result["answers"][i] or "en") == lang for i in idx)
                cells.append(_pct(right, len(idx)))
            row.append(" / ".join(cells))
        out.append(f"| {name} | " + " | ".join(row) + " |")
    out.append("")
    out.append(
        f"Cost (time per message over all texts, the fastest of {REPEAT} runs of each message,"
    )
    out.append("1 run for the slow langdetect; memory = RSS added by building the detector and")
    out.append("running it once, each in a fresh process):")
    out.append("")
    out.append(
        "| detector | start-up ms | memory MB | median µs | p99 µs | p99 µs chat "
        "| p99 µs sentences | abstained |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        times = result["times_ns"]
        chat = [t for t, s in zip(times, samples, strict=True) if s[0] == "chat"]
        sentences = [t for t, s in zip(times, samples, strict=True) if s[0] == "sentences"]
        abstained = sum(a is None for a in result["answers"])
        out.append(
            f"| {name} | {1000 * result['startup_s']:.0f} | {result['rss_bytes'] / 2**20:.1f} "
            f"| {statistics.median(times) / 1000:.0f} | {_p99(times):.0f} | {_p99(chat):.0f} "
            f"| {_p99(sentences):.0f} | {abstained} ({_pct(abstained, len(times))}%) |"
        )
    notes: list[str] = []
    if "langdetect" in results and "changed" in results["langdetect"]:
        changed = results["langdetect"]["changed"]
        rechecked = results["langdetect"]["rechecked"]
        notes.append(
            f"langdetect as it comes is not deterministic: a second pass over {rechecked} "
            f"of the texts changed {changed} answers ({_pct(changed, rechecked)}%)."
        )
    if "resolver" in results:
        result = results["resolver"]
        times = result.get("resolve_times_ns")
        if times:
            notes.append(
                f"resolver.resolve() (explicit choice, text, hint, previous) per message: "
                f"median {statistics.median(times) / 1000:.0f} µs, p99 {_p99(times):.0f} µs, "
                f"max {max(times) / 1000:.0f} µs."
            )
        positions = _positions(samples)
        for dataset in DATASETS:
            idx = [i for i, s in enumerate(samples) if s[0] == dataset]
            halves = []
            for label, parity in (("even lines (seen while tuning)", 0), ("odd (held out)", 1)):
                part = [i for i in idx if positions[i] % 2 == parity]
                right = sum((result["answers"][i] or "en") == samples[i][1] for i in part)
                halves.append(f"{label} {_pct(right, len(part))}%")
            if dataset != "chat":
                notes.append(f"resolver on {dataset}: " + ", ".join(halves) + ".")
    if notes:
        out.append("")
        out.extend(f"- {note}" for note in notes)
    return "\n".join(out)


def _positions(samples: list[tuple[str, str, str]]) -> list[int]:
    """The 0-based position of each sample within its data set and language."""
    seen: dict[tuple[str, str], int] = {}
    positions = []
    for dataset, lang, _ in samples:
        positions.append(seen.get((dataset, lang), 0))
        seen[(dataset, lang)] = positions[-1] + 1
    return positions


def main(argv: list[str] | None = None) -> int:
    """Run every detector in its own process and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LIMIT} texts per file")
    parser.add_argument("--only", nargs="*", choices=list(DETECTORS), help="some detectors")
    parser.add_argument("--worker", choices=list(DETECTORS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        json.dump(worker(args.worker, args.quick), sys.stdout)
        return 0
    if not (DATA / "sentences" / "en.txt").is_file():
        print(f"no lingua test data at {DATA} (set LANGID_DATA)", file=sys.stderr)
        return 2
    samples = load_samples(args.quick)
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for name in args.only or list(DETECTORS):
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", name]
        if args.quick:
            command.append("--quick")
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(f"{name}: failed\n{run.stderr}", file=sys.stderr)
            continue
        results[name] = json.loads(run.stdout)
    print("Detectors:")
    for name in results:
        print(f"- {name}: {DETECTORS[name]}")
    print()
    print(report(samples, results))
    print()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"(benchmark took {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; "
        f"load average at the end {load:.1f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
