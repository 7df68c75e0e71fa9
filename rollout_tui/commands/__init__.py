"""Subcommands of the `rollout-tui` CLI.

Each module declares its subcommand as a ``COMMAND`` (commands/_command.py), or exposes
``register(subparsers, parents)`` which adds its subcommand(s); either sets ``func`` (a callable
taking the parsed ``argparse.Namespace`` and returning an exit code) as the parser default.
``cli.py`` only wires them together and turns errors into one line on stderr.
"""


class CommandError(Exception):
    """An operator-facing failure: printed as one line on stderr, never as a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class PluginError(CommandError):
    """A failure worded exactly as the kubectl plugin words it: printed as ``Error: <message>``,
    cobra's prefix (cmd/kubectl-argo-rollouts/main.go exits 1 after cobra prints it)."""
