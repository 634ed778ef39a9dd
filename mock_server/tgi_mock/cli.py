"""
Command line of the mock TGI server: `python -m tgi_mock [options]`.

It binds 127.0.0.1:8080 unless told otherwise (`--port 0` picks a free port), prints
`Mock TGI server listening on http://HOST:PORT` once the port is bound, and serves until
interrupted (Ctrl-C or SIGTERM).

Options: `--config FILE.json` (a `MockConfig` as a JSON object), `--scripted FILE.json` (prompt →
completion, added to the defaults), `--fault SPEC` (server faults, grammar in `tgi_mock.faults`),
`--unhealthy`, `--api-key KEY`, `--legacy-sse`, `--keep-alive S`, `--model-id`, `--compute-type`,
the limits `--max-input-tokens`, `--max-total-tokens`, `--max-best-of`, `--max-stop-sequences`,
`--max-top-n-tokens`, `--max-client-batch-size`, `--max-concurrent-requests`, `--payload-limit`,
`--disable-grammar-support`, `--tokenizer PATH` (a Hugging Face `tokenizer.json`, the
`tokenizer` extra: `tgi_mock.hf_tokenizer`), `--seed N` (the server's own random numbers),
`--break NAME` (a deliberate contract breakage, repeatable; names in `tgi_mock.breakages`),
`--log-level` and `--access-log` (one line per request on stdout). `--help-faults` prints the
fault grammar and every fault; `--version` the version of tgi-sdk.

Exit status 2, with a one-line message, on a bad option or file, a port that cannot be bound
(already in use), or when the `mock` extra is not installed.

`--workers N` runs N processes on one port (uvicorn's multi-process mode) sharing configuration,
faults, scripted answers and journal in a SQLite file (`--state FILE`, else a temporary one);
`--admin-prefix PATH` moves the admin API (`''` switches it off); `--ttft`, `--itl`,
`--ttft-spread`, `--itl-spread`, `--timing-seed` and `--max-batch-total-tokens` set the timing
model (`tgi_mock.timing`).

`--replay DIR` serves the recordings `tgi-contract record` saved in DIR instead of generating
(`tgi_mock.contract.replay`; the generation options are then ignored), streams with their
recorded timing unless `--replay-speed fast` (or a speed factor such as `2`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import tgi_mock.faults
from tgi_mock.config import BREAKAGES, MockConfig, load_scripted
from tgi_mock.extras import SERVER, MissingExtraError, package_version, require
from tgi_mock.faults import FaultError, FaultSpec, parse_faults
from tgi_mock.hf_tokenizer import load as load_tokenizer

if TYPE_CHECKING:
    from starlette.types import ASGIApp

__all__ = ["build_config", "main", "parser"]

_LIMITS = (
    "max_input_tokens",
    "max_total_tokens",
    "max_best_of",
    "max_stop_sequences",
    "max_top_n_tokens",
    "max_client_batch_size",
    "max_concurrent_requests",
    "payload_limit",
)


_PROG = "python -m tgi_mock"

_FAULTS_EPILOG = """\
faults (--fault, the x-mock-fault header, or a [[mock:SPEC]] marker in a prompt):
  SPEC is 'fault;fault;...', each fault 'name' or 'name=value', for example
    --fault 'latency-first=0.5;latency-token=0.01'
    --fault 'status=503;retry-after=1;times=1'      (the next request only)
    x-mock-fault: drop-after=2                      (cut the stream after 2 tokens)
{names}
  python -m tgi_mock --help-faults describes each one.
"""


def _epilog() -> str:
    names = ", ".join(f.name.replace("_", "-") for f in dataclasses.fields(FaultSpec))
    wrapped = textwrap.fill(f"names: {names}.", 94, initial_indent="  ", subsequent_indent="  ")
    return _FAULTS_EPILOG.format(names=wrapped)


class _HelpFaults(argparse.Action):
    """`--help-faults`: print the fault grammar and every fault, then exit."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print((tgi_mock.faults.__doc__ or "").strip())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m tgi_mock`."""
    p = argparse.ArgumentParser(
        prog=_PROG,
        description="Run a mock TGI server.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"{_PROG} (tgi-sdk {package_version()})")
    p.add_argument("--help-faults", action=_HelpFaults, help="describe every fault, then exit")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to bind; 0 picks a free one")
    p.add_argument("--config", metavar="FILE.json", help="a MockConfig as a JSON object")
    p.add_argument("--scripted", metavar="FILE.json", help="prompt → completion JSON object")
    p.add_argument(
        "--fault", metavar="SPEC", help="server faults, e.g. 'latency-token=0.05' (see below)"
    )
    p.add_argument("--unhealthy", action="store_true", help="/health answers 503")
    p.add_argument("--legacy-sse", action="store_true", help="frame events as data:{json}")
    p.add_argument("--keep-alive", type=float, metavar="S", help="keep-alive idle seconds")
    p.add_argument("--model-id", help="model_id reported by /info")
    p.add_argument(
        "--tokenizer",
        metavar="PATH",
        help="a Hugging Face tokenizer.json the mock tokenizes and generates with "
        "(the 'tokenizer' extra); /info's model_id names it unless --model-id is given",
    )
    p.add_argument("--compute-type", help="x-compute-type header value")
    p.add_argument("--api-key", help="require Authorization: Bearer KEY on TGI's base routes")
    for name in _LIMITS:
        p.add_argument("--" + name.replace("_", "-"), type=int, metavar="N")
    p.add_argument("--disable-grammar-support", action="store_true")
    p.add_argument(
        "--bend-schema",
        action="store_true",
        help="JSON answers that TGI's grammar allows but that break the schema's unenforced "
        "keywords (minimum, multipleOf, uniqueItems...), to test your own validation",
    )
    p.add_argument("--seed", type=int, help="seed of the server's own random numbers")
    p.add_argument(
        "--break",
        dest="breakages",
        action="append",
        choices=BREAKAGES,
        metavar="NAME",
        help=f"break one TGI behaviour on purpose (repeatable): {', '.join(BREAKAGES)}",
    )
    p.add_argument("--replay", metavar="DIR", help="serve the recordings of tgi-contract record")
    p.add_argument(
        "--replay-speed",
        default="recorded",
        metavar="SPEED",
        help="stream timing of --replay: recorded (default), fast, or a factor such as 2",
    )
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    p.add_argument("--access-log", action="store_true", help="print one line per request on stdout")
    _add_scale_options(p)
    return p


def _add_scale_options(p: argparse.ArgumentParser) -> None:
    """`--workers`, the shared state file, the admin prefix and the timing model."""
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes on one port (uvicorn's multi-process mode; state in SQLite)",
    )
    p.add_argument("--state", metavar="FILE", help="SQLite file of the workers' shared state")
    p.add_argument(
        "--admin-prefix", metavar="PATH", help="admin API prefix (default /__admin; '' = off)"
    )
    p.add_argument("--ttft", type=float, metavar="S", help="timing: mean time to first token")
    p.add_argument("--ttft-spread", type=float, metavar="S", help="its standard deviation")
    p.add_argument("--itl", type=float, metavar="S", help="timing: mean inter-token latency")
    p.add_argument("--itl-spread", type=float, metavar="S", help="its standard deviation")
    p.add_argument("--timing-seed", type=int, metavar="N", help="seed of the timing draws")
    p.add_argument(
        "--max-batch-total-tokens", type=int, metavar="N", help="continuous batching token budget"
    )
    p.add_argument(
        "--journal-limit",
        type=_journal_limit,
        default=argparse.SUPPRESS,
        metavar="N",
        help="keep the newest N requests in the journal (default 10000; 'none': every one)",
    )


def _journal_limit(text: str) -> int | None:
    if text.lower() == "none":
        return None
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected an integer >= 0 or 'none', not {text!r}")
    return int(text)


def _scale_config(args: argparse.Namespace, config: MockConfig) -> None:
    if args.admin_prefix is not None:
        config.admin_prefix = args.admin_prefix.rstrip("/") or None
    for name in ("ttft", "ttft_spread", "itl", "itl_spread", "timing_seed"):
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    if args.max_batch_total_tokens is not None:
        config.max_batch_total_tokens = args.max_batch_total_tokens
    if hasattr(args, "journal_limit"):
        config.journal_limit = args.journal_limit


def build_config(args: argparse.Namespace) -> MockConfig:
    """The configuration the parsed arguments describe."""
    config = MockConfig.from_file(args.config) if args.config else MockConfig()
    if args.scripted:
        config.scripted.update(load_scripted(args.scripted))
    if args.fault:
        parse_faults(args.fault)
        config.faults = args.fault
    if args.unhealthy:
        config.healthy = False
    if args.legacy_sse:
        config.legacy_sse = True
    if args.disable_grammar_support:
        config.disable_grammar_support = True
    if args.bend_schema:
        config.bend_schema = True
    if args.keep_alive is not None:
        config.keep_alive = args.keep_alive
    if args.model_id:
        config.model_id = args.model_id
    if args.tokenizer:
        config.tokenizer = args.tokenizer
    if config.tokenizer is not None:
        load_tokenizer(config.tokenizer)  # a missing extra or a bad file fails here, in one line
        if not args.model_id and config.model_id == MockConfig.model_id:
            config.model_id = config.tokenizer
    if args.compute_type:
        config.compute_type = args.compute_type
    if args.api_key:
        config.api_key = args.api_key
    if args.seed is not None:
        config.random_seed = args.seed
    for name in args.breakages or ():
        if name not in config.breakages:
            config.breakages.append(name)
    for name in _LIMITS:
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    _scale_config(args, config)
    return config


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server; returns the exit status (2 on a bad option or file)."""
    args = parser().parse_args(argv)
    try:
        config = build_config(args)
    except (OSError, ValueError, TypeError, FaultError, MissingExtraError) as error:
        print(f"{_PROG}: {error}", file=sys.stderr)
        return 2
    try:
        require(_PROG, SERVER)
    except MissingExtraError as error:
        print(f"{_PROG}: {error}", file=sys.stderr)
        return 2
    if args.workers < 1 or (args.replay and args.workers > 1):
        why = "must be at least 1" if args.workers < 1 else "does not combine with --replay"
        print(f"{_PROG}: --workers {why}", file=sys.stderr)
        return 2
    from tgi_mock.server import BindError, MockServer

    app: ASGIApp | None = None
    if args.replay:
        from tgi_mock.contract.replay import ReplayApp, parse_speed

        try:
            app = ReplayApp(args.replay, speed=parse_speed(args.replay_speed))
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"python -m tgi_mock: --replay: {error}", file=sys.stderr)
            return 2
        count = len(app.recordings)
        print(f"Replaying {count} recording(s) from {args.replay}", file=sys.stderr, flush=True)
    if args.state and app is None and args.workers <= 1:  # one process on a store others read
        from tgi_mock.app import build_app
        from tgi_mock.store import SharedState, SharedStore

        store = SharedStore(args.state)
        store.init(config)
        app = build_app(SharedState(store))
    server = MockServer(
        config,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        app=app,
        access_log=args.access_log,
    )

    def ready(url: str) -> None:
        print(f"Mock TGI server listening on {url}", flush=True)

    try:
        if args.workers > 1 and app is None:
            from tgi_mock.workers import serve

            with contextlib.suppress(KeyboardInterrupt):
                serve(
                    config,
                    host=args.host,
                    port=args.port,
                    workers=args.workers,
                    state_file=args.state,
                    log_level=args.log_level,
                    access_log=args.access_log,
                    on_ready=ready,
                )
        else:
            with contextlib.suppress(KeyboardInterrupt):
                server.run(on_ready=ready)
    except BindError as error:
        print(f"{_PROG}: {error}", file=sys.stderr)
        return 2
    return 0
