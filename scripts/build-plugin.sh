#!/usr/bin/env bash
# Builds `pulumi-resource-anyscale` as one self-contained executable (Node's single executable
# applications) and packs it the way `pulumi plugin install` expects:
#
#   .build/plugin/pulumi-resource-anyscale-v<version>-<os>-<arch>.tar.gz
#     pulumi-resource-anyscale     the executable: this machine's node with the bundled plugin injected
#
# No PulumiPlugin.yaml: the engine reads one only when the directory has no executable of the
# plugin's name (then it runs the plugin through a language host), which is what this build avoids.
#
#   bash scripts/build-plugin.sh [--out DIR]
#
# Steps: esbuild bundles provider/hosts/native/sea-entry.ts and everything it imports into one
# CommonJS file (SEA runs one script that can require only Node's built-ins); the package schema and
# the version are computed from the same sources and embedded as SEA assets (inside the executable
# there are no docs pages to read); `node --experimental-sea-config` writes the blob, which postject
# injects into a copy of `node`. The executable embeds the runtime of the node that built it, so an
# archive is built for this machine's OS/arch only (.github/workflows/release.yml builds the others).
# Nothing is redone while the sources, the package and node are unchanged.
#
# Prints NAME=value lines (last): PLUGIN_ARCHIVE, PLUGIN_EXECUTABLE, PLUGIN_VERSION.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out_dir="$REPO_ROOT/.build/plugin"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

[ -x "$REPO_ROOT/node_modules/.bin/esbuild" ] && [ -x "$REPO_ROOT/node_modules/.bin/postject" ] ||
  die "esbuild and postject are missing: install the npm dependencies (npm ci)"

version="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/package.json")"
os="$(node -p 'process.platform')"
arch="$(node -p '({ x64: "amd64", arm64: "arm64" })[process.arch] || process.arch')"
executable_name="pulumi-resource-anyscale"
[ "$os" = "win32" ] && executable_name="pulumi-resource-anyscale.exe"
os="${os/win32/windows}"
archive="$out_dir/pulumi-resource-anyscale-v$version-$os-$arch.tar.gz"
work="$out_dir/work-$os-$arch"

fingerprint="$({
  echo "$version $os $arch"
  node --version
  cat "$REPO_ROOT/package-lock.json" "$0"
  find "$REPO_ROOT/provider" "$REPO_ROOT/docs/resources" -type f \( -name '*.ts' -o -name '*.md' \) -print0 | sort -z | xargs -0 cat
} | sha256sum | cut -d' ' -f1)"

if [ "$(cat "$archive.fingerprint" 2>/dev/null)" != "$fingerprint" ] || [ ! -f "$archive" ]; then
  started=$SECONDS
  rm -rf "$work"; mkdir -p "$work/package"
  log "bundling the plugin (esbuild)"
  "$REPO_ROOT/node_modules/.bin/esbuild" "$REPO_ROOT/provider/hosts/native/sea-entry.ts" --bundle --platform=node \
    --target=node20 --format=cjs --log-level=warning --outfile="$work/plugin.js"
  printf '%s\n' "$version" >"$work/version"
  # The schema from the same sources as the bundle (bundled too, so dist/ need not be current); run
  # from inside the checkout, it finds docs/resources for the descriptions as the plugin does.
  echo 'process.stdout.write(JSON.stringify(require("./provider/hosts/native/schema").buildPackageSchema(process.argv[2])))' |
    (cd "$REPO_ROOT" && node_modules/.bin/esbuild --bundle --platform=node --target=node20 --format=cjs --log-level=warning \
      --sourcefile=schema-entry.ts --outfile="$work/schema.js")
  node "$work/schema.js" "$version" >"$work/schema.json"
  cat >"$work/sea-config.json" <<EOF
{
  "main": "$work/plugin.js",
  "output": "$work/plugin.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true,
  "assets": { "version": "$work/version", "schema.json": "$work/schema.json" }
}
EOF
  log "writing the SEA blob and injecting it into a copy of $(command -v node) ($(node --version))"
  node --experimental-sea-config "$work/sea-config.json" >&2
  cp "$(command -v node)" "$work/package/$executable_name"
  chmod u+w "$work/package/$executable_name"
  postject_args=("$work/package/$executable_name" NODE_SEA_BLOB "$work/plugin.blob"
    --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2)
  [ "$os" = "darwin" ] && postject_args+=(--macho-segment-name NODE_SEA)
  "$REPO_ROOT/node_modules/.bin/postject" "${postject_args[@]}" >&2
  chmod 755 "$work/package/$executable_name"
  tar -C "$work/package" -czf "$archive.tmp" "$executable_name"
  mv -f "$archive.tmp" "$archive"
  echo "$fingerprint" >"$archive.fingerprint"
  log "built $(basename "$archive") ($(du -h "$archive" | cut -f1), executable $(du -h "$work/package/$executable_name" | cut -f1)) in $((SECONDS - started))s"
fi

echo "PLUGIN_ARCHIVE=$archive"
echo "PLUGIN_EXECUTABLE=$work/package/$executable_name"
echo "PLUGIN_VERSION=$version"
