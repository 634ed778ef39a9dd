"""
`tgi-contract`: contract testing of TGI servers (also `python -m tgi_mock.contract`).

    tgi-contract verify URL [--json] [--timeout S] [--header 'Name: value']... [--spec FILE]
                            [--fuzz-examples N] [--check PATTERN]... [--token TOKEN]
    tgi-contract record URL --out DIR [--host 127.0.0.1] [--port 8081]

`verify` checks a live server against `openapi.yaml` and TGI's behaviour and prints one line per
check and a summary (`--json`: one JSON document); exit status 0 when no check failed, 1 when
one did, 2 on bad usage or when the server cannot be reached. `record` runs a recording proxy in
front of URL (`--port 0` picks a free port) and prints `Recording proxy for URL listening on
http://HOST:PORT, saving to DIR`; serve requests through it, then replay DIR with
`python -m tgi_mock --replay DIR`.

A router model URL (`https://router.huggingface.co/hf-inference/models/{model}`) runs the checks
the router can answer (`tgi_mock.contract.router`), with `--token` or else `HF_TOKEN` as the bearer
token; the token is never printed.
A `--check` pattern that matches no check is bad usage (exit 2, naming the checks), so a typo
cannot pass CI by running nothing. Both commands need the `mock` extra
(`pip install 'tgi-sdk[mock]'`) and say so when it is missing. `--version` prints the version.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tgi_mock.extras import SERVER, SPEC, MissingExtraError, package_version, require

__all__ = ["check_names", "main", "parser"]


def _header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def parser() -> argparse.ArgumentParser:
    """The argument parser of `tgi-contract`."""
    p = argparse.ArgumentParser(
        prog="tgi-contract", description="Contract testing of TGI-compatible servers."
    )
    p.add_argument("--version", action="version", version=f"tgi-contract {package_version()}")
    commands = p.add_subparsers(dest="command", required=True)
    verify = commands.add_parser(
        "verify", help="check a live server against openapi.yaml and TGI's behaviour"
    )
    verify.add_argument("url", metavar="URL", help="base URL of the server, e.g. http://host:8080")
    verify.add_argument("--json", action="store_true", help="print one JSON document")
    verify.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="seconds per request (30)"
    )
    verify.add_argument(
        "--header",
        type=_header,
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header with every request (e.g. 'Authorization: Bearer KEY')",
    )
    verify.add_argument("--spec", metavar="FILE", help="the OpenAPI document (our openapi.yaml)")
    verify.add_argument(
        "--fuzz-examples",
        type=int,
        default=5,
        metavar="N",
        help="Schemathesis examples per operation for schema.fuzz (5; 0 skips it)",
    )
    verify.add_argument(
        "--check",
        action="append",
        default=[],
        metavar="PATTERN",
        help="run only the checks matching this shell pattern (repeatable), e.g. 'schema.*'",
    )
    verify.add_argument(
        "--token",
        metavar="TOKEN",
        help="bearer token (default for a router model URL: HF_TOKEN); never printed",
    )
    record = commands.add_parser("record", help="a recording proxy in front of a live server")
    record.add_argument("url", metavar="URL", help="base URL of the live server")
    record.add_argument("--out", required=True, metavar="DIR", help="directory for the recordings")
    record.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    record.add_argument("--port", type=int, default=8081, help="port to bind; 0 picks a free one")
    record.add_argument(
        "--timeout", type=float, default=600.0, metavar="S", help="upstream timeout (600)"
    )
    return p


def _hypothesis_home() -> None:
    """Keep Hypothesis's caches (used by schema.fuzz) out of the user's working directory."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    os.environ.setdefault(
        "HYPOTHESIS_STORAGE_DIRECTORY", str(cache / "tgi-contract" / "hypothesis")
    )


def check_names(spec_path: str | None = None) -> list[str]:
    """Every check `verify` knows, in the order it runs them."""
    from tgi_mock.contract.runner import BEHAVIOUR_CHECKS
    from tgi_mock.contract.spec import load_spec

    schema = [f"schema.{op.operation_id}" for op in load_spec(spec_path).operations()]
    return [*schema, *(name for name, _ in BEHAVIOUR_CHECKS), "schema.fuzz"]


def _unmatched(patterns: Sequence[str], names: Sequence[str]) -> list[str]:
    return [p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in names)]


def _verify(args: argparse.Namespace) -> int:
    try:
        require("tgi-contract verify", SPEC)
    except MissingExtraError as error:
        print(f"tgi-contract verify: {error}", file=sys.stderr)
        return 2
    from tgi_mock.contract.report import exit_status, format_text, to_json
    from tgi_mock.contract.router import ROUTER_CHECKS, is_router_url, with_token
    from tgi_mock.contract.runner import Unreachable, verify

    _hypothesis_home()
    if args.check:
        try:
            names = check_names(args.spec)
        except (OSError, ValueError) as error:
            print(f"tgi-contract verify: {error}", file=sys.stderr)
            return 2
        unmatched = _unmatched(args.check, names)
        if unmatched:
            quoted = ", ".join(repr(p) for p in unmatched)
            print(
                f"tgi-contract verify: --check {quoted} matches no check; "
                f"the checks are: {', '.join(names)}",
                file=sys.stderr,
            )
            return 2

    try:
        report = verify(
            args.url,
            spec_path=args.spec,
            timeout=args.timeout,
            headers=with_token(args.url, dict(args.header), args.token),
            fuzz_examples=args.fuzz_examples,
            only=args.check or (ROUTER_CHECKS if is_router_url(args.url) else []),
        )
    except Unreachable as error:
        print(f"tgi-contract verify: cannot reach the server: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"tgi-contract verify: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(to_json(report), indent=2, ensure_ascii=False))
    else:
        print(format_text(report))
    return exit_status(report)


def _record(args: argparse.Namespace) -> int:
    try:
        require("tgi-contract record", SERVER)
    except MissingExtraError as error:
        print(f"tgi-contract record: {error}", file=sys.stderr)
        return 2
    from tgi_mock.contract.proxy import RecordingProxy
    from tgi_mock.server import BindError, MockServer

    try:
        proxy = RecordingProxy(args.url, args.out, timeout=args.timeout, log=True)
    except OSError as error:
        print(f"tgi-contract record: {error}", file=sys.stderr)
        return 2
    server = MockServer(host=args.host, port=args.port, app=proxy)

    def ready(url: str) -> None:
        print(
            f"Recording proxy for {args.url} listening on {url}, saving to {args.out}", flush=True
        )

    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.run(on_ready=ready)
    except BindError as error:
        print(f"tgi-contract record: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run `tgi-contract`; returns the exit status."""
    args = parser().parse_args(argv)
    if args.command == "verify":
        return _verify(args)
    return _record(args)
