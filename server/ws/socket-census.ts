/**
 * How many sockets every node holds, for the /owner page: each node writes its counts to `socket_nodes`
 * when it starts and then every interval, and deletes its row when it shuts down. A row not refreshed for
 * three intervals (a node that died) is left out; this node's own figures are always the live ones.
 */
import type { Db } from "../db/client.ts";
import type { NodeSockets, SocketsSummary } from "./owner.ts";

export interface SocketCounts {
  sockets: number;
  pending: number;
}

export interface SocketCensusOptions {
  prisma: Db;
  node: string;
  intervalMs: number;
  /** This node's counts, read live. */
  counts(): SocketCounts;
  onError(error: unknown): void;
}

export interface SocketCensus {
  /** Every live node's counts, this one first. */
  summary(): Promise<SocketsSummary>;
  /** Stops reporting and deletes this node's row. */
  close(): Promise<void>;
}

export function startSocketCensus({ prisma, node, intervalMs, counts, onError }: SocketCensusOptions): SocketCensus {
  const report = () => {
    const data = { ...counts(), seenAt: new Date() };
    prisma.socketNode.upsert({ where: { node }, create: { node, ...data }, update: data }).catch(onError);
  };
  report();
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    async summary() {
      const rows = await prisma.socketNode.findMany({ where: { seenAt: { gt: new Date(Date.now() - 3 * intervalMs) }, node: { not: node } }, orderBy: { node: "asc" } });
      const nodes: NodeSockets[] = [{ node, ...counts(), local: true }, ...rows.map((row) => ({ node: row.node, sockets: row.sockets, pending: row.pending, local: false }))];
      return {
        count: nodes.reduce((sum, n) => sum + n.sockets, 0),
        pending: nodes.reduce((sum, n) => sum + n.pending, 0),
        nodes,
      };
    },
    async close() {
      clearInterval(timer);
      await prisma.socketNode.deleteMany({ where: { node } }).catch(onError);
    },
  };
}
