-- CreateTable
CREATE TABLE "insight_buckets" (
    "hour" TIMESTAMP(3) NOT NULL,
    "country" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "insight_buckets_pkey" PRIMARY KEY ("hour","country","carrier","channel","surface")
);

-- CreateTable
CREATE TABLE "insight_latency" (
    "hour" TIMESTAMP(3) NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "insight_latency_pkey" PRIMARY KEY ("hour","bucket")
);

-- CreateTable
CREATE TABLE "insight_hours" (
    "hour" TIMESTAMP(3) NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "insight_hours_pkey" PRIMARY KEY ("hour")
);

-- CreateTable
CREATE TABLE "insight_days" (
    "day" TIMESTAMP(3) NOT NULL,
    "country" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "sends" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "insight_days_pkey" PRIMARY KEY ("day","country","carrier","channel","surface")
);

-- CreateTable
CREATE TABLE "insight_refusals" (
    "hour" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "insight_refusals_pkey" PRIMARY KEY ("hour","reason")
);

-- CreateTable
CREATE TABLE "insight_costs" (
    "carrier" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "price_micros" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "insight_costs_pkey" PRIMARY KEY ("carrier","country")
);

-- CreateIndex
CREATE INDEX "insight_hours_final_hour_idx" ON "insight_hours"("final", "hour");

-- CreateIndex
CREATE INDEX "verifications_created_at_idx" ON "verifications"("created_at");
