#!/usr/bin/env bash
# npm test: the whole suite. Type-check, production build (the page tests run against it), then every
# Vitest test: unit, engine and HTTP integration tests on SQLite and PostgreSQL; then the Playwright
# end-to-end tests (e2e/) against that production build in the system Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== production build"
TEXTGATE_TYPECHECKED=1 npm run build --silent
echo "== package"
# Packed once here; the package tests and e2e/embed-element.spec.ts unpack this tarball (scripts/package/pack-into.ts).
TEXTGATE_PACKED_TARBALL="$(node --import tsx scripts/package/pack-into.ts tmp/packed | tail -1)"
export TEXTGATE_PACKED_TARBALL
echo "== tests"
npx vitest run
echo "== end-to-end tests"
npx playwright test
