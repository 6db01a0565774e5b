"""FacQA (IndoNLU) as a retrieval set: each unique passage is a document, each question a
query whose one relevant document is its own passage (see ../shared/data/facqa/README.md)."""

from __future__ import annotations

import ast
import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from search.records import IndexDoc

FACQA_DIR = Path(os.environ.get("TANGGUH_FACQA", "")) if os.environ.get("TANGGUH_FACQA") else None
_CANDIDATES = [Path("../shared/data/facqa"), Path("/work/shared/data/facqa")]


def facqa_dir() -> Path:
    for p in ([FACQA_DIR] if FACQA_DIR else []) + _CANDIDATES:
        if p and (p / "valid_preprocess.csv").exists():
            return p
    raise FileNotFoundError("FacQA not found: set TANGGUH_FACQA to its folder")


def detokenise(tokens: list[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r" ([.,!?;:%)\]])", r"\1", s)
    return re.sub(r"([(\[]) ", r"\1", s)


@dataclass
class RetrievalSet:
    docs: list[IndexDoc]
    queries: list[tuple[str, str, int]]  # (key "split:row", question, gold doc id)
    by_key: dict[str, int]  # "split:row" -> doc id of that row's passage


def load(splits: tuple[str, ...] = ("train", "valid")) -> RetrievalSet:
    root = facqa_dir()
    doc_ids: dict[str, int] = {}
    docs: list[IndexDoc] = []
    queries: list[tuple[str, str, int]] = []
    by_key: dict[str, int] = {}
    for split in splits:
        with (root / f"{split}_preprocess.csv").open(encoding="utf-8") as fh:
            for row_no, row in enumerate(csv.DictReader(fh)):
                passage = detokenise(ast.literal_eval(row["passage"]))
                question = detokenise(ast.literal_eval(row["question"]))
                if passage not in doc_ids:
                    doc_id = len(docs) + 1
                    doc_ids[passage] = doc_id
                    digest = hashlib.sha1(passage.encode()).hexdigest()
                    docs.append(
                        IndexDoc(
                            id=doc_id,
                            url=f"facqa:{digest[:16]}",
                            title=None,
                            text=passage,
                            kind="article",
                            site="facqa",
                            content_hash=digest,
                        )
                    )
                key = f"{split}:{row_no}"
                by_key[key] = doc_ids[passage]
                queries.append((key, question, doc_ids[passage]))
    return RetrievalSet(docs, queries, by_key)


def near_duplicate_groups(docs: list[IndexDoc], threshold: float = 0.8) -> dict[int, int]:
    """Doc id -> id of its near-duplicate group (word-trigram Jaccard >= ``threshold``).

    FacQA holds ~50 pairs of overlapping windows of the same article; which one a question was
    written on is arbitrary, so a ranking that puts the twin first is scored as a miss by the
    strict metric. The product folds such twins into one hit (duplicate_of); the "merged"
    metric does the same.
    """
    from itertools import combinations

    from search.text import words

    shingles: dict[int, set[tuple[str, str, str]]] = {}
    postings: dict[tuple[str, str, str], list[int]] = {}
    for d in docs:
        w = words(d.text)
        shingles[d.id] = set(zip(w, w[1:], w[2:], strict=False))
        for g in shingles[d.id]:
            postings.setdefault(g, []).append(d.id)
    shared: dict[tuple[int, int], int] = {}
    for ids in postings.values():
        if len(ids) < 30:  # common trigrams say nothing about duplication
            for a, b in combinations(ids, 2):
                shared[(a, b)] = shared.get((a, b), 0) + 1
    parent = {d.id: d.id for d in docs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        union = len(shingles[a] | shingles[b])
        if union and n / union >= threshold:
            parent[find(b)] = find(a)
    return {d.id: find(d.id) for d in docs}
