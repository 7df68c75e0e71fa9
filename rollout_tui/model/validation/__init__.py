"""The Argo Rollouts controller's validation rules, as pure functions on objects held as dicts.

    validate_rollout(rollout)   every spec error, in the controller's order (its InvalidSpec message
                                is the first: ``str(errors[0])``)
    read_manifest / lint_manifest   what ``lint -f`` checks in one file (rollouts with the Services,
                                Ingresses and VirtualServices beside them)

Errors are ``FieldError``s worded as k8s.io/apimachinery's field errors. Sources:
pkg/apis/rollouts/validation/validation.go and validation_references.go of argoproj/argo-rollouts.
"""

from __future__ import annotations

from rollout_tui.model.validation.errors import FieldError
from rollout_tui.model.validation.rollout import validate_rollout

__all__ = ["FieldError", "validate_rollout"]
