"""Runs many official `anyscale` CLI commands in one Python process.

Importing the anyscale package costs seconds of CPU; the contract tests run dozens of commands,
so they send them here one JSON line at a time ({"args": [...], "cwd": "..."}) and get one JSON
line back per command ({"code", "stdout", "stderr"}). Each command goes through the same click
entry point and error handling as the `anyscale` executable; stdin is empty, so any prompt fails
instead of hanging.
"""

import contextlib
import io
import json
import os
import sys

protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
# Output written straight to file descriptor 1 (not through sys.stdout) lands on stderr, so it
# can never corrupt the one-JSON-line-per-command protocol.
os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
protocol_in = sys.stdin

import anyscale.telemetry  # noqa: E402
from anyscale.errors import handle_uncaught_exception  # noqa: E402
from anyscale.scripts import cli  # noqa: E402

# The executable installs this once per process too (it sets the traceparent header).
anyscale.telemetry.patch_click()


def exit_code_of(exit_request: SystemExit) -> int:
    if exit_request.code is None:
        return 0
    if isinstance(exit_request.code, int):
        return exit_request.code
    print(exit_request.code, file=sys.stderr)
    return 1


def run_command(args, cwd):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    previous_cwd = os.getcwd()
    with open(os.devnull) as no_input, contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        sys.stdin = no_input
        try:
            if cwd:
                os.chdir(cwd)
            sys.argv = ["anyscale", *args]
            try:
                cli.main(args=args, prog_name="anyscale")
            except Exception as error:  # the executable's own last-resort handler
                handle_uncaught_exception(error)
        except SystemExit as exit_request:
            code = exit_code_of(exit_request)
        finally:
            os.chdir(previous_cwd)
            sys.stdin = protocol_in
    return {"code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}


protocol_out.write(json.dumps({"ready": True}) + "\n")
protocol_out.flush()
for line in protocol_in:
    if not line.strip():
        continue
    request = json.loads(line)
    response = run_command(request["args"], request.get("cwd"))
    protocol_out.write(json.dumps(response) + "\n")
    protocol_out.flush()
