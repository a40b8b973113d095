-- CreateTable
CREATE TABLE "conversion_alarms" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "started" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "raised_at" DATETIME NOT NULL,
    "notify_lease_until" DATETIME,
    "notify_token" TEXT,
    "notified_at" DATETIME,

    PRIMARY KEY ("scope", "key")
);
