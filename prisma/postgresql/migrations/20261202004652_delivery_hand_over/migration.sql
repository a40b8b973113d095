-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "handed_at" TIMESTAMP(3),
ADD COLUMN     "lease_token" TEXT;
