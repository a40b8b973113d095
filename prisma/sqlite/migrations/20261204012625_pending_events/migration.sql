-- CreateTable
CREATE TABLE "pending_events" (
    "id" BIGINT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "verification_id" TEXT,
    "data" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);
