"""Pieces the Kafka commands of ``rasd`` share: one-line errors that say what to do, quiet clients,
and help that fits the terminal (whole descriptions, paths relative to the checkout)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import click

from services.localkafka import REPO

START_HINT = (
    "Start one with `bash ops/kafka/kafka.sh start` (RASD_KAFKA_PORT sets its port), "
    "or point RASD_KAFKA_BOOTSTRAP (or --bootstrap) at yours."
)


def error_text(exc: BaseException) -> str:
    """The error's message with its class named once (aiokafka's errors prefix their own name)."""
    name = type(exc).__name__
    text = str(exc).strip()
    if text.startswith(f"{name}: "):
        text = text[len(name) + 2 :]
    if not text or text == name:
        return name
    if text.startswith("Unable to bootstrap from"):
        return "no broker answered"
    return f"{name}: {text}"


def unreachable(bootstrap: str, exc: BaseException, doing: str = "reach") -> click.ClickException:
    return click.ClickException(
        f"cannot {doing} Kafka at {bootstrap} ({error_text(exc)}). {START_HINT}"
    )


@contextlib.contextmanager
def quiet_kafka_clients() -> Iterator[None]:
    """The commands report connection failures themselves, once: aiokafka's own error lines
    ("Unable connect to ...") would repeat them without saying what to do."""
    logger = logging.getLogger("aiokafka")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def relative(text: str) -> str:
    return text.replace(f"{REPO}/", "")


class RasdFormatter(click.HelpFormatter):
    """Help text with paths of this checkout shown relative to it (defaults such as seeds/)."""

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(relative(a), relative(b)) for a, b in rows], col_max, col_spacing)

    def write_text(self, text: str) -> None:
        super().write_text(relative(text))


class RasdContext(click.Context):
    formatter_class = RasdFormatter


class RasdCommand(click.Command):
    context_class = RasdContext


class RasdGroup(click.Group):
    """Lists every command with its whole first sentence, wrapped instead of cut with '...'."""

    context_class = RasdContext
    command_class = RasdCommand
    group_class = type  # subgroups are RasdGroups too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        # Commands and groups defined elsewhere with plain click (eval, train) get the same
        # help: these classes only format differently and hold no state of their own.
        if type(cmd) is click.Group:
            cmd.__class__ = RasdGroup
            for name_, sub in list(cmd.commands.items()):
                cmd.add_command(sub, name_)  # now RasdGroup.add_command: converts them too
        elif type(cmd) is click.Command:
            cmd.__class__ = RasdCommand
        super().add_command(cmd, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def compact_event(value: Any) -> Any:
    """An event without what makes a line unreadable: an article's raw ``content`` (a claim's
    ``content``, what is claimed, stays) and a dead letter's original bytes (``value_base64``;
    ``value_preview`` stays)."""
    if not isinstance(value, dict):
        return value
    dropped = {"value_base64"} if "claim_id" in value else {"content", "value_base64"}
    return {k: v for k, v in value.items() if k not in dropped}
