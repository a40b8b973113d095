-- CreateTable
CREATE TABLE "pending_events" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "verification_id" TEXT,
    "data" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pending_events_pkey" PRIMARY KEY ("id")
);
