#!/usr/bin/env bash
# npm test: the whole suite. Type-check, production build (the page tests run against it), then every
# Vitest test: unit, engine and HTTP integration tests on SQLite and PostgreSQL; then the Playwright
# end-to-end tests (e2e/) against that production build in the system Chromium; last, the example host app
# (examples/next-host): the packed package installed into it, its own next build and its own Playwright suite
# against it and an API-only textgate server.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# Each stage's start, in seconds since the suite began, so a slow stage shows in a CI log (docs/benchmarks.md).
stage() { echo "== $1 (at ${SECONDS} s)"; }
stage typecheck
npx tsc --noEmit -p tsconfig.json
stage "production build"
TEXTGATE_TYPECHECKED=1 npm run build --silent
stage package
# Packed once here; the package tests and e2e/embed-element.spec.ts unpack this tarball (scripts/package/pack-into.ts).
TEXTGATE_PACKED_TARBALL="$(node --import tsx scripts/package/pack-into.ts tmp/packed | tail -1)"
export TEXTGATE_PACKED_TARBALL
stage tests
npx vitest run
stage "end-to-end tests"
npx playwright test
stage "example host (examples/next-host)"
# After the main e2e, not beside it: its two servers and next build would share the two cores with those three.
# The tarball packed above goes to examples/next-host/node_modules/textgate; next, react and next-auth come
# from this repository's node_modules, where Node looks after examples/next-host/node_modules: nothing is installed.
node --import tsx scripts/package/pack-into.ts --install examples/next-host >/dev/null
(cd examples/next-host && npm run --silent build && npm run --silent test:e2e)
stage done
