/**
 * Pending owner requests of every node, in the database (`owner_requests`): the one list the /owner page
 * shows and the one place a decision is taken, whichever node receives it. A row exists only while its
 * request is pending; `take` deletes it in one statement, so of any number of decisions (SMS, /owner, on
 * any node) exactly one wins, and the winner tells the holding node over the event bus (`owner.decided`).
 */
import { isUniqueViolation } from "../store/sql.ts";
import type { Db } from "../db/client.ts";
import type { OwnerRequestStore, StoredOwnerRequest } from "./desk.ts";

export type { OwnerRequestStore, StoredOwnerRequest };

type Row = Awaited<ReturnType<Db["ownerRequest"]["findMany"]>>[number];

function fromRow(row: Row): StoredOwnerRequest {
  return {
    reference: row.reference,
    connectionId: row.connectionId,
    userId: row.userId,
    who: row.who,
    path: row.path,
    node: row.node,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt,
  };
}

export function databaseOwnerRequests(prisma: Db): OwnerRequestStore {
  return {
    async add(request) {
      // Rows of a node that died before withdrawing them would otherwise hold their references forever.
      await prisma.ownerRequest.deleteMany({ where: { expiresAt: { lte: new Date(request.createdAt) } } });
      try {
        await prisma.ownerRequest.create({ data: { ...request, createdAt: new Date(request.createdAt) } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error) || (error as { code?: string } | null)?.code === "P2002") return false;
        throw error;
      }
    },
    async remove(reference, connectionId) {
      await prisma.ownerRequest.deleteMany({ where: { reference, connectionId } });
    },
    async removeHeldBy(reference, node) {
      const { count } = await prisma.ownerRequest.deleteMany({ where: { reference, node } });
      return count > 0;
    },
    async take(reference, now) {
      const row = await prisma.ownerRequest.findUnique({ where: { reference } });
      if (!row || row.expiresAt <= now) return null;
      // Deleting by reference and connection id: only the caller whose delete counts a row has decided it.
      const { count } = await prisma.ownerRequest.deleteMany({ where: { reference, connectionId: row.connectionId } });
      return count === 1 ? fromRow(row) : null;
    },
    async holder(reference, now) {
      const row = await prisma.ownerRequest.findUnique({ where: { reference }, select: { node: true, expiresAt: true } });
      return row && row.expiresAt > now ? row.node : null;
    },
    async list(now) {
      const rows = await prisma.ownerRequest.findMany({ where: { expiresAt: { gt: now } }, orderBy: { createdAt: "asc" } });
      return rows.map(fromRow);
    },
  };
}
