#!/usr/bin/env bash
# Generates the typed SDKs from the plugin's schema with Pulumi's own code generators
# (`pulumi package gen-sdk`, which runs each language host's GeneratePackage over pkg/v3/codegen/*),
# all at the schema's version:
#
#   bash scripts/gen-sdks.sh [nodejs] [python] [go]      (default: all three)
#
#   nodejs  -> sdk/native/ (committed: it ships in the npm package as `pulumi-anyscale/native` and is
#              compiled by `npm run build`, which must not need the engine); rerun after a schema change
#              (NODEJS_SDK_OUT=DIR writes it elsewhere: the e2e test compares a fresh one with sdk/native)
#   python  -> .build/sdk/python/ and the wheel .build/sdk/dist/pulumi_anyscale-<version>-py3-none-any.whl
#   go      -> .build/sdk/go/anyscale/ in the module github.com/pulumi-anyscale/pulumi-anyscale/sdk
#              (.build/sdk/go.mod), checked with `go build ./...` and `go vet ./...`
#
# The schema comes from the single executable (scripts/build-plugin.sh) through `pulumi package
# get-schema`, as a user's tooling would read it. Prints NAME=value lines (last): SCHEMA_FILE,
# PYTHON_WHEEL, GO_SDK_DIR (those generated).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(nodejs python go)
BUILD_DIR="$REPO_ROOT/.build/sdk"
mkdir -p "$BUILD_DIR"

ensure_pulumi_engine "${languages[@]}"
plugin_env="$(bash "$REPO_ROOT/scripts/build-plugin.sh")"
plugin="$(sed -n 's/^PLUGIN_EXECUTABLE=//p' <<<"$plugin_env")"
version="$(sed -n 's/^PLUGIN_VERSION=//p' <<<"$plugin_env")"

schema_file="$BUILD_DIR/schema.json"
(cd "$BUILD_DIR" && pulumi package get-schema "$plugin" --non-interactive >"$schema_file.tmp") || die "pulumi package get-schema failed"
mv -f "$schema_file.tmp" "$schema_file"

generate() {
  local language="$1" out
  out="$(mktemp -d "$BUILD_DIR/gen.XXXXXX")"
  log "pulumi package gen-sdk --language $language"
  (cd "$BUILD_DIR" && pulumi package gen-sdk "$schema_file" --language "$language" --out "$out" --non-interactive >&2) ||
    { rm -rf "$out"; die "pulumi package gen-sdk --language $language failed"; }
  echo "$out/$language"
}

for language in "${languages[@]}"; do
  case "$language" in
    nodejs)
      generated="$(generate nodejs)"
      # The package's own tsconfig compiles it; the generated one targets a standalone package.
      rm -f "$generated/tsconfig.json"
      nodejs_out="${NODEJS_SDK_OUT:-$REPO_ROOT/sdk/native}"
      rm -rf "$nodejs_out"
      mv "$generated" "$nodejs_out"
      rm -rf "$(dirname "$generated")"
      ;;
    python)
      generated="$(generate python)"
      rm -rf "$BUILD_DIR/python"; mv "$generated" "$BUILD_DIR/python"; rm -rf "$(dirname "$generated")"
      venv="$BUILD_DIR/build-venv"
      [ -x "$venv/bin/pip" ] || "${PYTHON:-$(command -v python3.11 || command -v python3)}" -m venv "$venv"
      "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "setuptools>=61" wheel >&2
      rm -rf "$BUILD_DIR/dist"; mkdir -p "$BUILD_DIR/dist"
      log "building the wheel"
      "$venv/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
        -w "$BUILD_DIR/dist" "$BUILD_DIR/python" >&2
      wheel="$(ls "$BUILD_DIR"/dist/pulumi_anyscale-"$version"-*.whl)"
      echo "PYTHON_WHEEL=$wheel"
      ;;
    go)
      generated="$(generate go)"
      rm -rf "$BUILD_DIR/go"; mv "$generated" "$BUILD_DIR/go"; rm -rf "$(dirname "$generated")"
      # The module the schema's importBasePath names; its dependencies are the CLI's own pins.
      cat >"$BUILD_DIR/go.mod" <<EOF
module github.com/pulumi-anyscale/pulumi-anyscale/sdk

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v$PULUMI_ENGINE_VERSION
EOF
      cp "$REPO_ROOT/scripts/engine/go.sum" "$BUILD_DIR/go.sum"
      log "go build and go vet of the Go SDK"
      (cd "$BUILD_DIR" && GOTOOLCHAIN=local GOFLAGS="-mod=mod" GONOSUMDB="*" GONOSUMCHECK=1 GOSUMDB=off go mod tidy >&2 &&
        GOTOOLCHAIN=local go build ./... >&2 && GOTOOLCHAIN=local go vet ./... >&2) || die "the generated Go SDK does not compile"
      echo "GO_SDK_DIR=$BUILD_DIR/go/anyscale"
      ;;
    *) die "unknown language $language (nodejs, python, go)" ;;
  esac
done
echo "SCHEMA_FILE=$schema_file"
