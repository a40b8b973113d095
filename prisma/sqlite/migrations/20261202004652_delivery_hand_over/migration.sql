-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN "handed_at" DATETIME;
ALTER TABLE "deliveries" ADD COLUMN "lease_token" TEXT;
