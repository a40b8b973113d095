-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_verifications" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "to" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'verify',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "workflow" TEXT NOT NULL,
    "workflow_preset" INTEGER,
    "code_hash" TEXT NOT NULL,
    "code_sealed" TEXT NOT NULL,
    "code_length" INTEGER NOT NULL,
    "alphanumeric" BOOLEAN NOT NULL DEFAULT false,
    "custom_code" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL,
    "brand" TEXT,
    "template" TEXT,
    "sender" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "valid_for" INTEGER NOT NULL,
    "expires_at" DATETIME NOT NULL,
    "surface" TEXT NOT NULL DEFAULT 'native',
    "test_number" BOOLEAN NOT NULL DEFAULT false,
    "client_ref" TEXT,
    "api_key_id" TEXT,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "finished_at" DATETIME
);
INSERT INTO "new_verifications" ("alphanumeric", "api_key_id", "attempts", "brand", "client_ref", "code_hash", "code_length", "code_sealed", "created_at", "custom_code", "expires_at", "finished_at", "id", "idempotency_key", "locale", "max_attempts", "purpose", "request_hash", "sender", "status", "surface", "template", "to", "updated_at", "valid_for", "workflow", "workflow_preset") SELECT "alphanumeric", "api_key_id", "attempts", "brand", "client_ref", "code_hash", "code_length", "code_sealed", "created_at", "custom_code", "expires_at", "finished_at", "id", "idempotency_key", "locale", "max_attempts", "purpose", "request_hash", "sender", "status", "surface", "template", "to", "updated_at", "valid_for", "workflow", "workflow_preset" FROM "verifications";
DROP TABLE "verifications";
ALTER TABLE "new_verifications" RENAME TO "verifications";
CREATE INDEX "verifications_to_status_idx" ON "verifications"("to", "status");
CREATE INDEX "verifications_status_expires_at_idx" ON "verifications"("status", "expires_at");
CREATE UNIQUE INDEX "verifications_api_key_id_idempotency_key_key" ON "verifications"("api_key_id", "idempotency_key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
