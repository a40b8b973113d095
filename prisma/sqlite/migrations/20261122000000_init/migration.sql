-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "phone" TEXT,
    "name" TEXT,
    "role" TEXT NOT NULL DEFAULT 'user',
    "phone_verified_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "verifications" (
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
    "client_ref" TEXT,
    "api_key_id" TEXT,
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "finished_at" DATETIME
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "verification_id" TEXT NOT NULL,
    "step_index" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'workflow',
    "channel" TEXT NOT NULL,
    "carrier" TEXT,
    "carrier_message_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "due_at" DATETIME NOT NULL,
    "lease_until" DATETIME,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "sent_at" DATETIME,
    "delivered_at" DATETIME,
    "failed_at" DATETIME,
    CONSTRAINT "deliveries_verification_id_fkey" FOREIGN KEY ("verification_id") REFERENCES "verifications" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "carrier" TEXT NOT NULL,
    "carrier_message_id" TEXT,
    "from" TEXT NOT NULL,
    "to" TEXT,
    "body" TEXT NOT NULL,
    "matched_to" TEXT,
    "received_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "sandbox_messages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "delivery_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "from" TEXT,
    "body" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "verification_id" TEXT,
    "data" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "users_phone_key" ON "users"("phone");

-- CreateIndex
CREATE INDEX "verifications_to_status_idx" ON "verifications"("to", "status");

-- CreateIndex
CREATE INDEX "verifications_status_expires_at_idx" ON "verifications"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "verifications_api_key_id_idempotency_key_key" ON "verifications"("api_key_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "deliveries_status_due_at_idx" ON "deliveries"("status", "due_at");

-- CreateIndex
CREATE INDEX "deliveries_verification_id_idx" ON "deliveries"("verification_id");

-- CreateIndex
CREATE INDEX "inbound_messages_from_received_at_idx" ON "inbound_messages"("from", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_messages_carrier_carrier_message_id_key" ON "inbound_messages"("carrier", "carrier_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "sandbox_messages_delivery_id_key" ON "sandbox_messages"("delivery_id");

-- CreateIndex
CREATE INDEX "sandbox_messages_to_created_at_idx" ON "sandbox_messages"("to", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");

-- CreateIndex
CREATE INDEX "audit_events_verification_id_idx" ON "audit_events"("verification_id");

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");
