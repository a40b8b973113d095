-- CreateTable
CREATE TABLE "guess_failures" (
    "phone" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "last_failure_at" DATETIME NOT NULL,
    "locked_until" DATETIME,
    "notified_at" DATETIME
);
