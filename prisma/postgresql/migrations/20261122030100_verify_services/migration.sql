-- CreateTable
CREATE TABLE "verify_services" (
    "id" TEXT NOT NULL,
    "friendly_name" TEXT NOT NULL,
    "code_length" INTEGER NOT NULL DEFAULT 6,
    "custom_code_enabled" BOOLEAN NOT NULL DEFAULT false,
    "account_sid" TEXT NOT NULL,
    "api_key_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verify_services_pkey" PRIMARY KEY ("id")
);
