"""``lint -f FILE``: the controller's validation rules on a manifest, as the plugin prints them
(pkg/kubectl-argo-rollouts/cmd/lint/lint.go): each error's body on stdout, then ``Error: <the
first error>`` on stderr and exit 1; nothing and exit 0 for a valid file."""

from __future__ import annotations

import argparse
import sys

from rollout_tui.commands import PluginError
from rollout_tui.commands._command import Command
from rollout_tui.commands._files import read_file, yaml_documents


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.filename:
        parser.print_usage(sys.stderr)  # o.UsageErr: the usage, no "Error:" line, exit 1
        return 1
    from rollout_tui.kube.schemas import core_fields
    from rollout_tui.model.validation.decode import DecodeError
    from rollout_tui.model.validation.manifest import lint_manifest, read_manifest

    documents = yaml_documents(read_file(args.filename))
    try:
        manifest = read_manifest(documents, core_fields)
    except DecodeError as exc:
        raise PluginError(f"error unmarshaling JSON: while decoding JSON: {exc}") from None
    errors = lint_manifest(manifest)
    for error in errors:
        print(error.body())
    if errors:
        sys.stdout.flush()
        raise PluginError(str(errors[0]))
    return 0


COMMAND = Command(
    "lint",
    help="lint and validate a Rollout",
    description="This command lints and validates a new Rollout resource from a file.",
    run=run,
    pass_parser=True,
)
