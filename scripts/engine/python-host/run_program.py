"""Start-up glue for a Pulumi Python program, run by pulumi-language-python as `python -c`.

The host passes the engine's addresses and the stack's identity as flags, and the stack config as
PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS. This configures the `pulumi` runtime with them and runs
the program's entry point inside the root stack resource, so `pulumi.export` lands on the stack.
Errors are shown through the engine's diagnostics and end with exit code 32, which tells the host
that the user has already seen them.
"""

import argparse
import asyncio
import logging
import os
import runpy
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

ERROR_ALREADY_REPORTED = 32


def parse_flags(argv):
    parser = argparse.ArgumentParser(prog="pulumi-language-python")
    parser.add_argument("--monitor", required=True)
    parser.add_argument("--engine")
    parser.add_argument("--project")
    parser.add_argument("--stack")
    parser.add_argument("--organization")
    parser.add_argument("--pwd")
    parser.add_argument("--root-directory")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("program")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def program_path(entry_point):
    """A directory runs its __main__.py, as `python <dir>` would; a file runs as is."""
    path = os.path.abspath(entry_point)
    if os.path.isdir(path) and not os.path.isfile(os.path.join(path, "__main__.py")):
        raise SystemExit(
            f"{path} has no __main__.py: add one, or point `main` in Pulumi.yaml at the program's file"
        )
    if not os.path.exists(path):
        raise SystemExit(f"the program {path} does not exist (see `main` in Pulumi.yaml)")
    return path


def report(pulumi, message):
    """Through the engine when it still listens, else on stderr (which the engine also shows)."""
    try:
        pulumi.log.error(message)
    except Exception:  # noqa: BLE001 - the engine may already be gone
        sys.stderr.write(message + "\n")


def main():
    flags = parse_flags(sys.argv[1:])
    try:
        import grpc
        import pulumi
        from pulumi import runtime
        from pulumi.errors import RunError
    except ImportError as error:
        sys.stderr.write(
            f"The `pulumi` package is not installed for {sys.executable} ({error}).\n"
            f"Install the program's requirements: {sys.executable} -m pip install -r requirements.txt\n"
        )
        return 1

    if flags.pwd:
        os.chdir(flags.pwd)
    program = program_path(flags.program)
    # Like `python <program>`: the program's own directory comes first on the import path.
    sys.path.insert(0, program if os.path.isdir(program) else os.path.dirname(program))

    runtime.reset_options(
        project=flags.project,
        stack=flags.stack,
        root_directory=flags.root_directory,
        parallel=flags.parallel,
        engine_address=flags.engine,
        monitor_address=flags.monitor,
        preview=flags.dry_run,
        organization=flags.organization or "organization",
    )
    runtime.set_all_config(runtime.get_config_env(), runtime.get_config_secret_keys_env())

    # Failures are reported through pulumi.log; asyncio's own "exception never retrieved" lines
    # about the same tasks would only repeat them.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Resource registrations block in executor threads; let as many run as the engine allows.
    loop.set_default_executor(ThreadPoolExecutor(max_workers=max(flags.parallel, 1) * 4))

    def run_program():
        sys.argv = [program, *flags.args]
        runpy.run_path(program, run_name="__main__")

    exit_code = 0
    try:
        loop.run_until_complete(runtime.run_in_stack(run_program))
    except RunError as error:
        report(pulumi, str(error))
        exit_code = ERROR_ALREADY_REPORTED
    except grpc.RpcError as error:
        # UNAVAILABLE: the engine stopped (it says why itself).
        if error.code() != grpc.StatusCode.UNAVAILABLE:
            report(pulumi, f"RPC error: {error.details()}")
        exit_code = ERROR_ALREADY_REPORTED
    except Exception:  # noqa: BLE001 - any failure of the user's program ends up here
        report(pulumi, "Program failed with an unhandled exception:\n" + traceback.format_exc())
        exit_code = ERROR_ALREADY_REPORTED
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
