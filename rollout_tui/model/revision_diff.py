"""Which two revisions of a rollout to compare, and what the later one changes (model.diff).

`d` in the detail compares the selected revision with the stable one (the newest revision when
the stable one itself is selected); promote and undo confirmations summarise the change they
make (model.actions.rollout). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from rollout_tui.model.diff import Change, summary, template_diff
from rollout_tui.model.rollout import RevisionInfo, RolloutInfo


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    base: RevisionInfo  # what is compared against (the stable revision, usually)
    target: RevisionInfo
    changes: tuple[Change, ...]

    @property
    def summary(self) -> str:
        return summary(self.changes)


def _by_hash(info: RolloutInfo, pod_hash: str) -> RevisionInfo | None:
    return next(
        (
            rev
            for rev in info.revisions
            if pod_hash and any(rs.pod_template_hash == pod_hash for rs in rev.replicasets)
        ),
        None,
    )


def _by_number(info: RolloutInfo, number: int) -> RevisionInfo | None:
    return next((rev for rev in info.revisions if rev.revision == number), None)


def stable_revision(info: RolloutInfo) -> RevisionInfo | None:
    return _by_hash(info, info.state.stable_rs) or next((rev for rev in info.revisions if rev.stable), None)


def revision_diff(info: RolloutInfo, number: int) -> RevisionDiff | str:
    """Revision `number` against the stable one (or, for the stable one, the newest against it);
    a sentence saying why not when there is nothing to compare."""
    target = _by_number(info, number)
    base = stable_revision(info)
    if target is None:
        return f"revision {number} is not in the tree"
    if base is None:
        return "no stable revision to compare with"
    if base.revision == target.revision:
        newest = info.revisions[0] if info.revisions else None
        if newest is None or newest.revision == base.revision:
            return f"revision {number} is the stable one and the newest: nothing to compare"
        target = newest
    if base.template is None or target.template is None:
        return "the pod templates of these revisions are not known (their ReplicaSets are gone)"
    return RevisionDiff(base, target, template_diff(base.template, target.template))


def revision_change(info: RolloutInfo, to: str = "", to_revision: int = 0, against: str = "") -> str:
    """The summary of what revision `to` (a pod-template hash) or `to_revision` changes against the
    revision `against` (a hash; default the stable one); "" when either is unknown or they are one."""
    target = _by_hash(info, to) if to else _by_number(info, to_revision)
    base = _by_hash(info, against) if against else stable_revision(info)
    if target is None or base is None or target.revision == base.revision:
        return ""
    if target.template is None or base.template is None:
        return ""
    return summary(template_diff(base.template, target.template))
