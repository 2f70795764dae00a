"""docs/commands.md, written from the commands themselves: each command's help text, usage and options.

The reference is made from the Click commands Typer builds (not from `--help` as a terminal shows it), so it does
not depend on the width of anyone's terminal. `tests/test_docs.py` fails when the file differs;
`IWFDB_UPDATE_GOLDEN=1 pytest tests/test_docs.py` rewrites it.
"""

from __future__ import annotations

import typer.main

from iwfdb.cli import app

HEADER = """# Command reference

<!-- Generated from the commands' own help by tests/cli_reference.py: do not edit by hand.
     IWFDB_UPDATE_GOLDEN=1 pytest tests/test_docs.py rewrites it. -->

Every command takes `--db` (before or after its name) and `--help`. Exit status: 0 when all went well, 1 when
some input failed or something was not found, 2 for a usage error, 130 after Ctrl-C. Data goes to stdout,
messages to stderr. The guide to what the commands print is [reading.md](reading.md).
"""


def commands(group, path: tuple[str, ...] = ()):
    """(path, command) of every command and group, depth first, in alphabetical order."""
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        yield (*path, name), command
        if _is_group(command):
            yield from commands(command, (*path, name))


def _is_group(command) -> bool:
    return hasattr(command, "commands")


def _option_row(param) -> str:
    names = ", ".join(f"`{name}`" for name in (*param.opts, *param.secondary_opts))
    if not param.is_flag:
        names += f" `{_metavar(param)}`".replace("|", "\\|")  # a bar inside a table's cell, code or not, ends it
    default = ""
    if param.default not in (None, False, (), []) and not param.is_flag and param.show_default is not False:
        default = f" (default: `{param.default}`)"
    repeat = " Repeatable." if param.multiple and "repeatable" not in (param.help or "") else ""
    text = " ".join((param.help or "").split()).replace("|", "\\|")
    return f"| {names} | {text}{default}{repeat} |"


def _metavar(param) -> str:
    if hasattr(param.type, "choices"):
        return "|".join(param.type.choices)
    if param.metavar:
        return param.metavar
    return {"integer": "N", "float": "NUMBER"}.get(param.type.name.split()[0], param.type.name.upper())


def _usage(path: tuple[str, ...], command) -> str:
    arguments = [param for param in command.params if param.param_type_name == "argument"]
    words = ["iwfdb", *path, "[OPTIONS]"]
    for argument in arguments:
        word = (argument.name or "ARG").upper()
        word += "..." if argument.nargs == -1 else ""
        words.append(word if argument.required else f"[{word}]")
    if _is_group(command):
        words.append("COMMAND")
    return " ".join(words)


def _section(path: tuple[str, ...], command) -> str:
    lines = [f"## `iwfdb {' '.join(path)}`", "", (command.help or "").strip(), "", "```", _usage(path, command), "```"]
    options = [param for param in command.params if param.param_type_name == "option" and param.name != "help"]
    if options:
        lines += ["", "| option | meaning |", "|---|---|", *(_option_row(option) for option in options)]
    if _is_group(command):
        lines += ["", "Commands: " + ", ".join(f"`{name}`" for name in sorted(command.commands)) + "."]
    return "\n".join(lines)


def render() -> str:
    """The whole reference, as Markdown."""
    root = typer.main.get_command(app)
    sections = [_section(path, command) for path, command in commands(root)]
    return HEADER + "\n" + "\n\n".join(sections) + "\n"
