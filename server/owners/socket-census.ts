/**
 * How many sockets every node holds, for the /owner page: each node writes its counts to `socket_nodes`
 * when it starts and then every interval, and deletes its row when it shuts down. A row not refreshed for
 * three intervals (a node that died) is left out; this node's own figures are always the live ones.
 */
import type { Db } from "../db/client.ts";
import type { NodeSockets, SocketsSummary } from "./desk.ts";

export interface SocketCounts {
  sockets: number;
  pending: number;
}

export interface SocketCensusOptions {
  prisma: Db;
  node: string;
  intervalMs: number;
  onError(error: unknown): void;
}

export interface SocketCensus {
  /** Starts reporting: `counts` reads this node's sockets live (the socket gate's); at once, then every interval. */
  count(counts: () => SocketCounts): void;
  /** Every live node's counts, this one first. */
  summary(): Promise<SocketsSummary>;
  /** Stops reporting and deletes this node's row. */
  close(): Promise<void>;
}

/** A node without sockets (an API-only node, or before the gate attaches) reports nothing and counts zero. */
export function createSocketCensus({ prisma, node, intervalMs, onError }: SocketCensusOptions): SocketCensus {
  let counts = (): SocketCounts => ({ sockets: 0, pending: 0 });
  let timer: NodeJS.Timeout | undefined;
  const report = () => {
    const data = { ...counts(), seenAt: new Date() };
    prisma.socketNode.upsert({ where: { node }, create: { node, ...data }, update: data }).catch(onError);
  };
  return {
    count(source) {
      counts = source;
      if (timer) return;
      report();
      timer = setInterval(report, intervalMs);
      timer.unref();
    },
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
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      await prisma.socketNode.deleteMany({ where: { node } }).catch(onError);
    },
  };
}
