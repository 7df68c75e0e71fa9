"""``completion bash|zsh|fish|powershell``: a script for the shell (load it with e.g.
``source <(rollout-tui completion bash)``) whose completion function asks
``rollout-tui __complete`` (cobra's protocol, commands/complete.py) what to offer, bounded by a
timeout so a slow cluster never hangs the shell. As the plugin's cmd/completion/completion.go,
one script per shell; unlike cobra's, each is written here for this program."""

from __future__ import annotations

import argparse
import os
import re
import sys

from rollout_tui.commands._command import Command, Flag

SHELLS = ("bash", "zsh", "fish", "powershell")
CALL_TIMEOUT = 3  # seconds the shell waits for __complete (which gives up on its own at 2.5)

BASH = r"""# bash completion for PROG; load it with:  source <(PROG completion bash)
__FUNC_call() {
    if command -v timeout >/dev/null 2>&1; then
        timeout TIMEOUT PROG __complete "$@" 2>/dev/null </dev/null
    else
        PROG __complete "$@" 2>/dev/null </dev/null
    fi
}

__FUNC_complete() {
    local i word cur="${COMP_WORDS[COMP_CWORD]}"
    local -a merged=() lines=()
    # bash splits words at '=' (COMP_WORDBREAKS): put "--flag=value" back together
    for ((i = 1; i <= COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if ((${#merged[@]})) && [[ ${merged[${#merged[@]}-1]} == --* ]] &&
            [[ $word == "=" || ${merged[${#merged[@]}-1]} == *= ]]; then
            merged[${#merged[@]}-1]+="$word"
        else
            merged+=("$word")
        fi
    done
    local full="${merged[${#merged[@]}-1]}"
    mapfile -t lines < <(__FUNC_call "${merged[@]}")
    ((${#lines[@]})) || return 0
    local directive="${lines[${#lines[@]}-1]#:}"
    unset 'lines[${#lines[@]}-1]'
    COMPREPLY=()
    local line
    for line in "${lines[@]}"; do
        line="${line%%$'\t'*}"
        # candidates are whole words; bash replaces only its own current word (after an '=')
        [[ $full != "$cur" ]] && line="${line#"${full%"$cur"}"}"
        [[ $line == "$cur"* ]] && COMPREPLY+=("$line")
    done
    if ((${#COMPREPLY[@]} == 0 && (directive & 4) == 0)); then
        compopt -o default 2>/dev/null
    fi
    return 0
}

complete -F __FUNC_complete PROG
"""

ZSH = r"""#compdef PROG
# zsh completion for PROG; load it (after compinit) with:  source <(PROG completion zsh)
__FUNC_call() {
    if (( $+commands[timeout] )); then
        timeout TIMEOUT PROG __complete "$@" 2>/dev/null </dev/null
    else
        PROG __complete "$@" 2>/dev/null </dev/null
    fi
}

__FUNC() {
    local out directive line name
    local -a lines described
    out="$(__FUNC_call "${(@)words[2,CURRENT]}")"
    lines=("${(@f)out}")
    (( ${#lines} )) || return 1
    directive="${lines[-1]#:}"
    lines=("${(@)lines[1,-2]}")
    for line in "${lines[@]}"; do
        [[ -n $line ]] || continue
        name="${line%%$'\t'*}"
        name="${name//:/\\:}"
        if [[ $line == *$'\t'* ]]; then
            described+=("${name}:${line#*$'\t'}")
        else
            described+=("${name}")
        fi
    done
    if (( ${#described} )); then
        _describe -t values 'PROG' described
    elif (( (directive & 4) == 0 )); then
        _files
    fi
}

if (( $+functions[compdef] )); then
    compdef __FUNC PROG
fi
"""

FISH = r"""# fish completion for PROG; load it with:  PROG completion fish | source
function __FUNC_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l out
    if command -q timeout
        set out (timeout TIMEOUT PROG __complete $words $current 2>/dev/null </dev/null)
    else
        set out (PROG __complete $words $current 2>/dev/null </dev/null)
    end
    test (count $out) -gt 0; or return
    set -l directive (string replace -- ':' '' $out[-1])
    set -e out[-1]
    for line in $out
        echo $line
    end
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path $current
    end
end

complete -c PROG -f -a '(__FUNC_complete)'
"""

POWERSHELL = r"""# PowerShell completion for PROG; load it with:  PROG completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName 'PROG' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') {
        # native arguments: an empty string survives only as '""' before PowerShell 7.3
        $legacy = $PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy'
        $words += $(if ($legacy) { '""' } else { '' })
    }
    $out = @(& 'PROG' __complete @words 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = [int]($out[-1].TrimStart(':'))
    $lines = if ($out.Count -gt 1) { $out[0..($out.Count - 2)] } else { @() }
    foreach ($line in $lines) {
        $name, $description = $line -split "`t", 2
        if (-not $description) { $description = $name }
        if ($name -like "$wordToComplete*") {
            [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterValue', $description)
        }
    }
    if ($lines.Count -eq 0 -and ($directive -band 4) -eq 0) {
        Get-ChildItem -Path "$wordToComplete*" | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ProviderItem', $_.Name)
        }
    }
}
"""

TEMPLATES = {"bash": BASH, "zsh": ZSH, "fish": FISH, "powershell": POWERSHELL}


def script(shell: str, program: str = "rollout-tui") -> str:
    func = "_" + re.sub(r"[^A-Za-z0-9_]", "_", program)
    text = TEMPLATES[shell].replace("__FUNC", "_" + func).replace("TIMEOUT", str(CALL_TIMEOUT))
    return text.replace("PROG", program)


def program_name() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "rollout-tui"
    return (
        name
        if re.fullmatch(r"[A-Za-z0-9_.-]+", name) and name not in ("__main__.py", "-c")
        else "rollout-tui"
    )


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(script(args.shell, program_name()))
    return 0


COMMAND = Command(
    "completion",
    help="generate a shell completion script (bash, zsh, fish, powershell)",
    description="Print a completion script for the shell; e.g. `source <(rollout-tui completion bash)` "
    "in ~/.bashrc, or `rollout-tui completion fish | source` in config.fish.",
    flags=(Flag("shell", choices=SHELLS, metavar="{bash,zsh,fish,powershell}"),),
    run=run,
)
