"""``create -f FILE... [-w]`` and ``create analysisrun`` (alias ``ar``), with the semantics and
messages of pkg/kubectl-argo-rollouts/cmd/create/create.go.

``create -f`` decodes each file strictly into its type (unknown fields are errors), creates it in
the file's namespace or else the current one, and prints ``<singular>.argoproj.io/<name>
created``; ``-w`` then watches the one Rollout or Experiment created. Unlike create.go, a
ClusterAnalysisTemplate is created at the cluster scope (the plugin's namespaced request would be
refused by a real API server) and ``-w`` watches in the namespace the object was created in.
"""

from __future__ import annotations

import argparse
import copy
import sys
from typing import Any

from rollout_tui.commands import PluginError
from rollout_tui.commands._files import decode_object, read_file
from rollout_tui.commands._live import connect, plugin_errors

# kind -> (type in the v1alpha1 table, the singular create.go prints: note ClusterAnalysisTemplate's)
CREATABLE = {
    "Rollout": "rollout",
    "Experiment": "experiment",
    "AnalysisTemplate": "analysistemplate",
    "ClusterAnalysisTemplate": "analysistemplate",
    "AnalysisRun": "analysisrun",
}
INSTANCE_ID_LABEL = "argo-rollouts.argoproj.io/controller-instance-id"


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    from rollout_tui.commands.parser import global_flags

    create = subparsers.add_parser(
        "create",
        parents=[global_flags(filename=False)],  # its own -f is repeatable (StringArrayVarP)
        help="create a Rollout, Experiment, AnalysisTemplate, ClusterAnalysisTemplate or AnalysisRun",
        description="This command creates a new Rollout, Experiment, AnalysisTemplate, "
        "ClusterAnalysisTemplate, or AnalysisRun resource from a file.",
    )
    create.add_argument(
        "-f", "--filename", dest="create_files", action="append", metavar="FILE", help="files to create from"
    )
    create.add_argument(
        "-w", "--watch", action="store_true", help="watch live updates to the resource after creating"
    )
    create.set_defaults(func=lambda args: run_create(args, create))
    kinds = create.add_subparsers(dest="create_kind", metavar="analysisrun")
    run = kinds.add_parser(
        "analysisrun",
        parents=parents,
        help="create an AnalysisRun from an AnalysisTemplate or a ClusterAnalysisTemplate",
        description="This command creates a new AnalysisRun from an existing AnalysisTemplate resources "
        "or from an AnalysisTemplate file.",
    )
    run.add_argument("--name", dest="run_name", default="", help="use the specified name for the run")
    run.add_argument("--generate-name", default="", help="use the specified generateName for the run")
    run.add_argument("--instance-id", default="", help="Instance-ID for the AnalysisRun")
    run.add_argument(
        "-a",
        "--argument",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="arguments to the template",
    )
    run.add_argument(
        "--from", dest="from_template", default="", metavar="TEMPLATE", help="a template in the cluster"
    )
    run.add_argument("--from-file", default="", metavar="FILE", help="a template in a local file")
    run.add_argument(
        "--global", dest="global_template", action="store_true", help="use a ClusterAnalysisTemplate"
    )
    run.set_defaults(func=run_create_analysisrun)


def _files(args: argparse.Namespace) -> list[str]:
    return [*(args.create_files or []), *([args.filename] if args.filename else [])]


def run_create(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    files = _files(args)
    if not files:
        parser.print_usage(sys.stderr)
        return 1
    if len(files) > 1 and args.watch:
        raise PluginError("Cannot watch multiple resources")
    with plugin_errors():
        context, namespace = connect(args)
        created = [create_from_file(context, namespace, path) for path in files]
    if args.watch:
        return _watch(args, created[0])
    return 0


def create_from_file(context: Any, default_namespace: str, path: str) -> dict[str, Any]:
    text = read_file(path)
    unstructured = decode_object(text)
    group = str(unstructured.get("apiVersion") or "").rpartition("/")[0]
    kind = str(unstructured.get("kind"))
    if group != "argoproj.io" or kind not in CREATABLE:
        raise PluginError(f"creates of {group}/{kind} unsupported")
    decode_object(text, kind)  # strict: unknown fields and wrong types are errors, as create.go's
    meta = unstructured.get("metadata")
    namespace = default_namespace
    if isinstance(meta, dict) and meta.get("namespace"):
        namespace = str(meta["namespace"])  # create.go's getNamespace: the file's namespace wins
    created = _post(context, kind, namespace, unstructured)
    print(
        f"{CREATABLE[kind]}.argoproj.io/{(created.get('metadata') or {}).get('name', '')} created", flush=True
    )
    return created


def _post(context: Any, kind: str, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    import json

    from rollout_tui.kube import resources
    from rollout_tui.kube.audit import AuditLog
    from rollout_tui.kube.errors import classify
    from rollout_tui.kube.transport import post_json, resource_path

    target = {
        "Rollout": resources.ROLLOUT,
        "Experiment": resources.EXPERIMENT,
        "AnalysisTemplate": resources.ANALYSIS_TEMPLATE,
        "ClusterAnalysisTemplate": resources.CLUSTER_ANALYSIS_TEMPLATE,
        "AnalysisRun": resources.ANALYSIS_RUN,
    }[kind]
    scope = None if kind == "ClusterAnalysisTemplate" else namespace
    name = str(
        (obj.get("metadata") or {}).get("name") or (obj.get("metadata") or {}).get("generateName") or ""
    )
    audit = {"context": context.name, "user": context.user, "namespace": namespace, "name": name}
    try:
        response = post_json(context.api_client, resource_path(target, scope), obj)
        created = json.loads(response.data)
    except Exception as exc:
        error = classify(exc)
        AuditLog().record(**audit, action=f"create {kind}", patches=[], outcome="failed", message=str(error))
        raise error from None
    AuditLog().record(**audit, action=f"create {kind}", patches=[], outcome="ok", message="created")
    return created if isinstance(created, dict) else {}


def _watch(args: argparse.Namespace, created: dict[str, Any]) -> int:
    from rollout_tui.commands import _watch

    kind = created.get("kind")
    if kind not in ("Rollout", "Experiment"):
        raise PluginError("Can only watch resources of type Rollout or Experiment")
    meta = created.get("metadata") or {}
    watch_args = copy.copy(args)
    watch_args.name, watch_args.namespace, watch_args.filename = meta.get("name"), meta.get("namespace"), None
    watch_args.timeout_seconds, watch_args.now = 0, None
    if kind == "Rollout":
        return _watch.watch_rollout(watch_args)
    return _watch.watch_experiment(watch_args)


def run_create_analysisrun(args: argparse.Namespace) -> int:
    from rollout_tui.model.analysis_args import ArgumentError, analysisrun_from_template, parse_arguments

    if bool(args.from_template) == bool(args.from_file):
        raise PluginError("one of --from or --from-file must be specified")
    try:
        arguments = parse_arguments(args.argument)
    except ArgumentError as exc:
        raise PluginError(str(exc)) from None
    with plugin_errors():
        context, namespace = connect(args)
        template = _template(context, namespace, args)
        template_name = str((template.get("metadata") or {}).get("name") or "")
        name = args.run_name
        generate_name = "" if name else (args.generate_name or f"{template_name}-")
        if not name and generate_name == "-":
            raise PluginError("name is invalid")
        try:
            run = analysisrun_from_template(template, arguments, name, generate_name, namespace)
        except ArgumentError as exc:
            raise PluginError(str(exc)) from None
        if args.instance_id:
            run["metadata"]["labels"] = {INSTANCE_ID_LABEL: args.instance_id}
        created = _post(context, "AnalysisRun", namespace, run)
    print(f"analysisrun.argoproj.io/{(created.get('metadata') or {}).get('name', '')} created", flush=True)
    return 0


def _template(context: Any, namespace: str, args: argparse.Namespace) -> dict[str, Any]:
    from rollout_tui.kube.live import get_object
    from rollout_tui.kube.resources import ANALYSIS_TEMPLATE, CLUSTER_ANALYSIS_TEMPLATE

    if args.from_file:
        return decode_object(read_file(args.from_file))
    if args.global_template:
        return get_object(context, CLUSTER_ANALYSIS_TEMPLATE, "", args.from_template)
    return get_object(context, ANALYSIS_TEMPLATE, namespace, args.from_template)
