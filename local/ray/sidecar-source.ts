// The Python side of the Ray runtime, shipped inside the compiled package as text (the package ships
// only .js files) and written next to the plane's data at start. It runs on the Ray venv's python.
export const SIDECAR_SOURCE = String.raw`# The local plane's Ray sidecar: one long-lived driver that owns (or joins) a Ray cluster, runs Serve
# on it and answers the Node plane over HTTP on 127.0.0.1. The plane sends the whole set of Serve
# applications it wants (declarative, like a Serve config); the sidecar keeps any application that is
# not the plane's own untouched, so a shared cluster's other apps survive. Closing stdin stops it.
import json
import logging
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ray
from ray import serve
from ray._private.runtime_env.py_modules import upload_py_modules_if_needed
from ray._private.runtime_env.working_dir import upload_working_dir_if_needed
from ray.serve._private import api as serve_api
from ray.serve.schema import ServeApplicationSchema, ServeDeploySchema

ARGS = json.loads(sys.argv[1])
PREFIX = ARGS["appPrefix"]
LOCK = threading.Lock()
STATE = {"seq": 0, "invalid": {}, "client": None}
log = logging.getLogger("anyscale-local-ray")


def connect():
    address = ARGS.get("address")
    if address:
        ray.init(address=address, namespace="serve", logging_level=logging.WARNING, log_to_driver=False)
    else:
        ray.init(
            num_cpus=ARGS.get("numCpus", 8),
            include_dashboard=False,
            _node_ip_address="127.0.0.1",
            namespace="serve",
            logging_level=logging.WARNING,
            log_to_driver=False,
            _temp_dir=ARGS.get("tempDir"),
        )
    # Only used when Serve is not running yet; a running Serve keeps its own HTTP options.
    http = {"host": "127.0.0.1", "port": ARGS.get("servePort") or 8000}
    client = serve_api.serve_start(http_options=http)
    STATE["client"] = client
    details = client.get_serve_details()
    opts = details.get("http_options") or {}
    host = opts.get("host") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return {
        "gcsAddress": ray.get_runtime_context().gcs_address,
        "serveUrl": "http://%s:%s" % (host, opts.get("port", 8000)),
    }


def with_packages(app):
    """Local package dirs become gcs:// URIs (uploaded once, by content hash), as "serve run" does."""
    env = dict(app.get("runtime_env") or {})
    if env.get("working_dir"):
        env = upload_working_dir_if_needed(env, include_gitignore=False, logger=log)
    if env.get("py_modules"):
        env = upload_py_modules_if_needed(env, include_gitignore=False, logger=log)
    return dict(app, runtime_env=env)


def sync(apps):
    client = STATE["client"]
    invalid = {}
    ours = []
    for app in apps:
        try:
            ours.append(ServeApplicationSchema.model_validate(with_packages(app)).model_dump(exclude_unset=True))
        except Exception as error:  # a bad config fails its own version, not the others
            invalid[app.get("name")] = "Invalid Serve application config: %s" % error
    others = []
    for name, detail in (client.get_serve_details().get("applications") or {}).items():
        if name.startswith(PREFIX):
            continue
        config = detail.get("deployed_app_config")
        if config is None:
            raise RuntimeError("application '%s' on this cluster was not deployed from a config; the plane will not replace it" % name)
        others.append(config)
    client.deploy_apps(ServeDeploySchema.model_validate({"applications": others + ours}))
    STATE["invalid"] = invalid
    STATE["seq"] += 1


def status():
    client = STATE["client"]
    apps = {}
    for name, detail in (client.get_serve_details().get("applications") or {}).items():
        if not name.startswith(PREFIX):
            continue
        # The application's message names the failing deployments; theirs carry the traceback.
        message = detail.get("message") or ""
        for dep in (detail.get("deployments") or {}).values():
            if dep.get("status") not in ("HEALTHY", None) and dep.get("message"):
                message = message + "\n" + dep.get("message")
        apps[name] = {"status": detail.get("status"), "message": message}
    for name, message in STATE["invalid"].items():
        apps[name] = {"status": "DEPLOY_FAILED", "message": message}
    return apps


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        try:
            with LOCK:
                seq = STATE["seq"]
                self.answer(200, {"seq": seq, "apps": status()})
        except Exception as error:
            self.answer(500, {"error": "%s: %s" % (type(error).__name__, error)})

    def do_PUT(self):
        try:
            length = int(self.headers.get("content-length") or 0)
            apps = json.loads(self.rfile.read(length) or b"[]")
            with LOCK:
                sync(apps)
                self.answer(200, {"seq": STATE["seq"]})
        except Exception as error:
            traceback.print_exc()
            self.answer(500, {"error": "%s: %s" % (type(error).__name__, error)})


def main():
    info = connect()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    info["port"] = server.server_address[1]
    print(json.dumps({"ready": info}), flush=True)
    sys.stdin.read()  # the plane closed our stdin: it is stopping (or gone)
    with LOCK:
        try:
            if ARGS.get("address"):
                names = [n for n in (STATE["client"].get_serve_details().get("applications") or {}) if n.startswith(PREFIX)]
                if names:
                    STATE["client"].delete_apps(names, blocking=True)
            else:
                serve.shutdown()
        except Exception:
            traceback.print_exc()
        ray.shutdown()
    os._exit(0)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:
        print(json.dumps({"failed": "%s: %s" % (type(error).__name__, error)}), flush=True)
        os._exit(1)
`;
