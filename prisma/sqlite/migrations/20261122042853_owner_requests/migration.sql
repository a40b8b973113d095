-- CreateTable
CREATE TABLE "owner_requests" (
    "reference" TEXT NOT NULL PRIMARY KEY,
    "connection_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "who" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "expires_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "socket_nodes" (
    "node" TEXT NOT NULL PRIMARY KEY,
    "sockets" INTEGER NOT NULL,
    "pending" INTEGER NOT NULL,
    "seen_at" DATETIME NOT NULL
);
