# Sourced by scripts/main.sh: starts the local plane with the Ray runtime, so the quickstart's query
# answers with its own app. Ray Serve is installed once (scripts/setup-ray.sh, cached). When Ray
# cannot be installed or cannot start here, it says why and starts the echo runtime instead.
# Sets ANYSCALE_HOST and ANYSCALE_CLI_TOKEN like start-local.sh's output.

start_local_plane_with_ray() {
  local runtime=echo ray_out setup_log plane_env
  setup_log="$(mktemp)"
  if [ "${ANYSCALE_LOCAL_RUNTIME:-}" = echo ]; then
    log "ANYSCALE_LOCAL_RUNTIME=echo: the local plane echoes requests instead of running the app"
  elif ray_out="$(bash "$REPO_ROOT/scripts/setup-ray.sh" 2>"$setup_log")"; then
    runtime=ray
    export ANYSCALE_LOCAL_RAY_PYTHON="$(sed -n 's/^RAY_BIN=//p' <<<"$ray_out")/python"
  else
    log "Ray Serve could not be installed ($(tail -n 1 "$setup_log")): falling back to the echo runtime (the query URL echoes requests; no user code runs)"
  fi
  rm -f "$setup_log"
  if plane_env="$(ANYSCALE_LOCAL_RUNTIME=$runtime bash "$REPO_ROOT/scripts/start-local.sh")"; then
    eval "$plane_env"
  elif [ "$runtime" = ray ]; then
    log "the local plane could not start Ray ($(grep -m1 'anyscale-local:' "$ANYSCALE_LOCAL_DIR/plane.log" || tail -n 1 "$ANYSCALE_LOCAL_DIR/plane.log")): falling back to the echo runtime"
    eval "$(ANYSCALE_LOCAL_RUNTIME=echo bash "$REPO_ROOT/scripts/start-local.sh")"
  else
    die "the local control plane did not start"
  fi
  export ANYSCALE_HOST ANYSCALE_CLI_TOKEN
}
