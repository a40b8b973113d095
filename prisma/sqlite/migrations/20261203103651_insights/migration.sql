-- CreateTable
CREATE TABLE "insight_buckets" (
    "hour" DATETIME NOT NULL,
    "country" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("hour", "country", "carrier", "channel", "surface")
);

-- CreateTable
CREATE TABLE "insight_latency" (
    "hour" DATETIME NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("hour", "bucket")
);

-- CreateTable
CREATE TABLE "insight_hours" (
    "hour" DATETIME NOT NULL PRIMARY KEY,
    "computed_at" DATETIME NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "insight_days" (
    "day" DATETIME NOT NULL,
    "country" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "country", "carrier", "channel", "surface")
);

-- CreateTable
CREATE TABLE "insight_refusals" (
    "hour" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("hour", "reason")
);

-- CreateTable
CREATE TABLE "insight_costs" (
    "carrier" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "price_micros" INTEGER NOT NULL,
    "updated_at" DATETIME NOT NULL,

    PRIMARY KEY ("carrier", "country")
);

-- CreateIndex
CREATE INDEX "insight_hours_final_hour_idx" ON "insight_hours"("final", "hour");

-- CreateIndex
CREATE INDEX "verifications_created_at_idx" ON "verifications"("created_at");
