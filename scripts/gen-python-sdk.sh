#!/usr/bin/env bash
# Generates a Python SDK with Pulumi's own code generator and installs it into a virtualenv that
# Python programs can name in Pulumi.yaml (`runtime: {name: python, options: {virtualenv: ...}}`).
#
#   bash scripts/gen-python-sdk.sh [SOURCE] [--venv DIR]
#
# SOURCE is the provider plugin (default: this package's pulumi-resource-anyscale) or a schema JSON
# file. The schema is read with `pulumi package get-schema`, then `pulumi package gen-sdk --language
# python` generates the SDK; that command runs inside the Python language host (its GeneratePackage),
# which calls pkg/v3/codegen/python, so no line of the SDK is written by hand here. The SDK goes to
# .build/python/<package>/ (git-ignored: it is derived from the schema, which is derived from the zod
# schemas), and is installed with `pulumi` (PyPI, same version as the CLI) into the venv (default
# .build/python/venv). Nothing is redone while the schema, the engine and the host are unchanged.
#
# Prints NAME=value lines (last): PYTHON_SDK_DIR, PYTHON_SDK_PACKAGE, PULUMI_PYTHON_VENV.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PULUMI_PYTHON_VERSION="$PULUMI_ENGINE_VERSION"
BUILD_DIR="$REPO_ROOT/.build/python"
source_arg="" venv_dir="$BUILD_DIR/venv"
while [ $# -gt 0 ]; do
  case "$1" in
    --venv) venv_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) [ -z "$source_arg" ] || die "one SOURCE only (got '$source_arg' and '$1')"; source_arg="$1"; shift ;;
  esac
done
mkdir -p "$BUILD_DIR" "$(dirname "$venv_dir")"
venv_dir="$(cd "$(dirname "$venv_dir")" && pwd)/$(basename "$venv_dir")"

default_plugin() {
  local plugin
  local plugin="$REPO_ROOT/bin/pulumi-resource-anyscale"
  [ -f "$REPO_ROOT/dist/provider/hosts/native/main.js" ] ||
    die "the plugin is not compiled yet (npm run build); or pass a plugin or a schema file"
  echo "$plugin"
}
[ -n "$source_arg" ] || source_arg="$(default_plugin)"
[ -e "$source_arg" ] || die "$source_arg does not exist"
source_arg="$(cd "$(dirname "$source_arg")" && pwd)/$(basename "$source_arg")"

ensure_pulumi_engine python

# One generation at a time per checkout (two test files may ask together).
exec 7>"$BUILD_DIR/.lock"
flock 7

schema_file="$(mktemp --suffix=.json "$BUILD_DIR/schema.XXXXXX")"
trap 'rm -f "$schema_file"' EXIT
if [[ "$source_arg" == *.json ]]; then
  cp "$source_arg" "$schema_file"
else
  (cd "$BUILD_DIR" && pulumi package get-schema "$source_arg" --non-interactive >"$schema_file") ||
    die "pulumi package get-schema $source_arg failed"
fi
package_name="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).name)' "$schema_file")"
[ -n "$package_name" ] && [ "$package_name" != "undefined" ] || die "the schema has no package name"
package_version="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/package.json")"
sdk_dir="$BUILD_DIR/$package_name/sdk"

fingerprint="$({
  cat "$schema_file"
  echo "$package_version $PULUMI_PYTHON_VERSION"
  pulumi version
  cat "$PULUMI_ANYSCALE_CACHE/language-hosts/pulumi-language-python.fingerprint" 2>/dev/null || true
} | sha256sum | cut -d' ' -f1)"

if [ "$(cat "$sdk_dir/.fingerprint" 2>/dev/null)" != "$fingerprint" ]; then
  log "generating the Python SDK of '$package_name' (pulumi package gen-sdk --language python)"
  out="$(mktemp -d "$BUILD_DIR/gen.XXXXXX")"
  (cd "$BUILD_DIR" && pulumi package gen-sdk "$schema_file" --language python --out "$out" \
    --version "$package_version" --non-interactive >&2) || { rm -rf "$out"; die "pulumi package gen-sdk failed"; }
  rm -rf "$sdk_dir"
  mkdir -p "$(dirname "$sdk_dir")"
  mv "$out/python" "$sdk_dir"
  rm -rf "$out"
  echo "$fingerprint" >"$sdk_dir/.fingerprint"
fi

# The codegen names the importable package (pulumi_<name> unless the schema says otherwise) and
# marks it with pulumi-plugin.json; the distribution carries the same name.
plugin_marker="$(find "$sdk_dir" -mindepth 2 -maxdepth 2 -name pulumi-plugin.json | head -n 1)"
[ -n "$plugin_marker" ] || die "no package with pulumi-plugin.json in $sdk_dir"
distribution="$(basename "$(dirname "$plugin_marker")")"
venv_stamp="$venv_dir/.sdk-$package_name.fingerprint"
if [ "$(cat "$venv_stamp" 2>/dev/null)" != "$fingerprint" ]; then
  python_bin="${PYTHON:-$(command -v python3.11 || command -v python3)}"
  # A venv left half-built by an interrupted run is rebuilt rather than patched.
  if [ -d "$venv_dir" ] && ! [ -x "$venv_dir/bin/pip" ]; then rm -rf "$venv_dir"; fi
  [ -d "$venv_dir" ] || { log "creating $venv_dir"; "$python_bin" -m venv "$venv_dir"; }
  pip=("$venv_dir/bin/python" -m pip --quiet --disable-pip-version-check)
  log "installing pulumi==$PULUMI_PYTHON_VERSION and the generated $distribution into $venv_dir"
  "${pip[@]}" install "pulumi==$PULUMI_PYTHON_VERSION" >&2
  "${pip[@]}" uninstall --yes "$distribution" >/dev/null 2>&1 || true
  "${pip[@]}" install "$sdk_dir" >&2
  echo "$fingerprint" >"$venv_stamp"
fi

echo "PYTHON_SDK_DIR=$sdk_dir"
echo "PYTHON_SDK_PACKAGE=$distribution"
echo "PULUMI_PYTHON_VENV=$venv_dir"
