-- CreateTable
CREATE TABLE "owner_requests" (
    "reference" TEXT NOT NULL,
    "connection_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "who" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "owner_requests_pkey" PRIMARY KEY ("reference")
);

-- CreateTable
CREATE TABLE "socket_nodes" (
    "node" TEXT NOT NULL,
    "sockets" INTEGER NOT NULL,
    "pending" INTEGER NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "socket_nodes_pkey" PRIMARY KEY ("node")
);
