"""Pure view models of Argo Rollouts objects (plain dicts in, frozen dataclasses out).

No I/O and no wall clock: time comes from an injected `clock.Clock`. Every function accepts
malformed input and degrades to blank/"Unknown" values plus warnings (`validate.py`).

    status      GetRolloutPhase / CalculateRolloutPhase
    summary     one overview row from a Rollout alone
    rollout     everything `get rollout` shows: revisions, ReplicaSets, pods, experiments, runs
    steps       canary steps (done/current/pending, pause countdown); weights: SetWeight/ActualWeight
    bluegreen   where a blue-green rollout stands; metrics: analysis series, thresholds, limits
    objects     ObjectSet, the source-independent bag of objects; icons: Unicode and ASCII glyphs
"""
