-- CreateTable
CREATE TABLE "guess_failures" (
    "phone" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "last_failure_at" TIMESTAMP(3) NOT NULL,
    "locked_until" TIMESTAMP(3),
    "notified_at" TIMESTAMP(3),

    CONSTRAINT "guess_failures_pkey" PRIMARY KEY ("phone")
);
