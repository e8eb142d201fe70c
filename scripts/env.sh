# Source this in your shell (`source scripts/env.sh`) after scripts/main.sh to run `pulumi`
# yourself with the same engine, local state backend and passphrase the main job used.
# shellcheck shell=bash
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
if _pulumi_anyscale_bin="$(bash "$REPO_ROOT/scripts/setup-pulumi.sh" nodejs)"; then
  export PATH="$_pulumi_anyscale_bin:$PULUMI_SHIM_BIN_DIR:$PATH"
fi
unset _pulumi_anyscale_bin
# The stack config (Pulumi.dev.yaml) already holds the control plane's address and token.
cd "$REPO_ROOT" || return
