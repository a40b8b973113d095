#!/bin/sh
# Prisma's CLI insists that a schema-engine binary exists even for `prisma generate`, which never runs it,
# and it cannot download one on machines without internet. This stub satisfies that check. Migrations go
# through the official Wasm build of the same engine instead: npm run db:migrate / db:new.
echo "textgate: the native Prisma schema engine is not installed here; use npm run db:migrate or npm run db:new" >&2
exit 1
