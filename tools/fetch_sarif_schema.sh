#!/usr/bin/env bash
# fetch_sarif_schema.sh — puts the official SARIF 2.1.0 JSON schema (OASIS,
# release 2.1.0-rtm.5) in racecheck's cache directory for the SARIF test to
# validate against; it is not kept in the tree (other projects' text stays out
# of it). Source: the npm package @microsoft/jest-sarif, which ships the
# schema, checked by its SHA-256. Prints the schema's path; exit 1 when it
# cannot be obtained (no npm, no network).
set -euo pipefail

cache=${RACECHECK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/racecheck}
schema=$cache/sarif-schema-2.1.0.json
sha256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
package=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json

if [ -f "$schema" ] && echo "$sha256  $schema" | sha256sum -c --status; then
  echo "$schema"; exit 0
fi
command -v npm >/dev/null || { echo "fetch_sarif_schema: npm is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && timeout 120 npm pack --silent "$package" >/dev/null) ||
  { echo "fetch_sarif_schema: npm pack $package failed" >&2; exit 1; }
tar -xzf "$work"/*.tgz -C "$work" "$member"
echo "$sha256  $work/$member" | sha256sum -c --status ||
  { echo "fetch_sarif_schema: $package's schema has an unexpected SHA-256" >&2; exit 1; }
mkdir -p "$cache"
mv "$work/$member" "$schema"
echo "$schema"
