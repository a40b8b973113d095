-- AlterTable
ALTER TABLE "verifications" ADD COLUMN "replaced_by" TEXT;
