-- CreateTable
CREATE TABLE "conversion_alarms" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "started" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "raised_at" TIMESTAMP(3) NOT NULL,
    "notify_lease_until" TIMESTAMP(3),
    "notify_token" TEXT,
    "notified_at" TIMESTAMP(3),

    CONSTRAINT "conversion_alarms_pkey" PRIMARY KEY ("scope","key")
);
