"""The labelled corpus and the issue's targets (a quality gate on the corpus, not a timing test)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from safeguard.signals import KINDS
from safeguard.signals.evaluate import (
    CORPUS,
    FIGURES_BEGIN,
    FIGURES_END,
    PRECISION_TARGET,
    RECALL_TARGETS,
    CorpusError,
    evaluate,
    figures_markdown,
    load_corpus,
    split,
)

NOTES = load_corpus()


def test_the_corpus_is_big_enough_and_covers_every_kind() -> None:
    assert len(NOTES) >= 300
    counts = Counter(kind for note in NOTES for kind in note.kinds)
    assert set(counts) == set(KINDS)
    assert min(counts.values()) >= 10, counts
    assert sum(1 for n in NOTES if not n.kinds) >= 100  # negations, third parties, near misses, routine notes
    held_out = split(NOTES, "heldout")
    assert len(held_out) == len(NOTES) // 5
    assert {kind for n in held_out for kind in n.kinds} == set(KINDS)


def test_the_issue_targets_are_met_on_the_corpus() -> None:
    report = evaluate(NOTES)
    assert report.misses_targets() == []
    for kind in RECALL_TARGETS:
        assert report.per_kind[kind].recall >= RECALL_TARGETS[kind], kind
    assert report.overall.precision >= PRECISION_TARGET


def test_docs_show_the_current_figures() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "signals.md").read_text(encoding="utf-8")
    shown = docs.split(FIGURES_BEGIN, 1)[1].split(FIGURES_END, 1)[0].strip()
    assert shown == figures_markdown(NOTES).strip(), (
        "run `python -m safeguard.signals.evaluate --markdown > docs/signals.md` to regenerate docs/signals.md")


def test_a_malformed_corpus_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text('{"id": "a", "text": "x", "signals": []}\n{"id": "b", "text": "y", "signals": ["gossip"]}\n')
    with pytest.raises(CorpusError, match="line 2: unknown signal kind"):
        load_corpus(bad)
    assert CORPUS.exists()
