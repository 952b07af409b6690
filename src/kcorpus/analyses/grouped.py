"""Search results by group (analyses.groups): a group column for concordance lines, collocates per group."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from kcorpus.analyses.groups import Grouping
from kcorpus.table import Table


def document_groups(documents: Sequence, by: str) -> list[str]:
    """The group of each analysed document under `by`."""
    return Grouping.parse(by).doc_labels([a.id for a in documents], [a.doc.meta for a in documents])


def with_group_column(lines: Table, documents: Sequence, by: str) -> Table:
    """Concordance lines with a group column after doc."""
    groups = dict(zip((a.id for a in documents), document_groups(documents, by)))
    return lines.with_column("group", [groups.get(doc, "") for doc in lines.values("doc")], at=1)


def per_group(documents: Sequence, hits: Sequence, by: str, table: Callable[[list, list], Table]) -> Table:
    """`table(documents, hits)` of each group's documents and hits (groups in report order), stacked under a
    leading group column."""
    grouping = Grouping.parse(by)
    labels = document_groups(documents, by)
    frames = []
    for group in grouping.ordered(labels):
        members = [i for i, label in enumerate(labels) if label == group]
        position = {doc: i for i, doc in enumerate(members)}
        group_hits = [replace(hit, doc=position[hit.doc]) for hit in hits if hit.doc in position]
        if not group_hits:
            continue
        frame = table([documents[i] for i in members], group_hits)
        frames.append(frame.with_column("group", [group] * len(frame), "S", at=0))
    if frames:
        return Table.concat(frames)
    empty = table([], [])
    return empty.with_column("group", [], "O", at=0)
