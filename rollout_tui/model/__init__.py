"""Pure views of Argo Rollouts objects (plain dicts in, frozen dataclasses out).

No I/O and no wall clock: views hold instants (created, pause ends, deadlines); whoever shows them
computes ages and countdowns against a `clock.Clock`. Every function accepts malformed input and
degrades to blank/"Unknown" values plus warnings (`validate.py`).

    state       RolloutState: the one computation of a rollout's step, weights, status, pauses
    attention   what needs a human (failing, stuck, waiting) and what carries on by itself
    alerts      when a rollout newly needs a human
    actions     the action registry: every action declared once (keys, RBAC, guard, patches, CLI)
    rollout     RolloutInfo: the state plus revisions, ReplicaSets, pods, experiments, runs
    steps       canary steps (done, current, pending, skipped, failed); weights: SetWeight
    status      GetRolloutPhase / CalculateRolloutPhase
    bluegreen   where a blue-green rollout stands; metrics: analysis series, thresholds, limits
    objects     ObjectSet, the source-independent bag of objects; icons: the one glyph set
"""
