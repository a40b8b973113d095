-- AlterTable
ALTER TABLE "verifications" ADD COLUMN     "test_number" BOOLEAN NOT NULL DEFAULT false;
