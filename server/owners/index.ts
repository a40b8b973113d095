/**
 * The owner feature: who the owners are (OWNER_PHONES), the desk of socket requests waiting for their
 * decision (desk.ts, stored for every node in requests-store.ts), the census of every node's sockets
 * (socket-census.ts), the lists of the /owner console (verifications.ts) and the low-conversion alarm
 * (conversion-alarms.ts, run by the scheduler). Built once by
 * createTextgate (server/textgate.ts); the socket gate and the /api/owner routes use these services.
 */
import crypto from "node:crypto";
import os from "node:os";
import type { Session } from "next-auth";
import type { Logger } from "pino";
import { TextgateError } from "../../lib/errors.ts";
import type { OwnerSettings } from "../config-sections.ts";
import type { Db } from "../db/client.ts";
import type { EventBus } from "../events/bus.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import { noticeFor } from "../verification/notices.ts";
import type { Sql } from "../store/sql.ts";
import { type ConversionAlarms, conversionAlarms } from "./conversion-alarms.ts";
import { OwnerDesk } from "./desk.ts";
import { databaseOwnerRequests } from "./requests-store.ts";
import { createSocketCensus, type SocketCensus } from "./socket-census.ts";
import { type OwnerConsoleLists, ownerConsoleLists } from "./verifications.ts";

/** This process among the nodes: host, pid and a random suffix (shown on /owner). */
export function newNodeId(): string {
  return `${os.hostname()}-${process.pid}-${crypto.randomBytes(2).toString("hex")}`;
}

export interface OwnersDeps {
  settings: OwnerSettings;
  events: EventBus;
  logger: Logger;
  prisma: Db;
  sql: Sql;
  clock: () => Date;
  engine: Pick<VerificationEngine, "listRecent" | "repo">;
  /** This process among the nodes (socket census, who holds a request). */
  node: string;
  textNotice: (to: string, body: string) => Promise<boolean>;
}

export interface OwnersFeature {
  settings: OwnerSettings;
  desk: OwnerDesk;
  census: SocketCensus;
  verifications: OwnerConsoleLists;
  /** The low-conversion alarm; createTextgate has the scheduler run its check every CONVERSION_ALARM_CHECK_SECONDS. */
  conversionAlarms: ConversionAlarms;
  /** The session of a signed-in owner, or 403 forbidden (the /api/owner routes, after "signed in"). */
  requireOwner(session: Session): Session;
  close(): Promise<void>;
}

export function createOwners(deps: OwnersDeps): OwnersFeature {
  const { settings, logger } = deps;
  const desk = new OwnerDesk({
    events: deps.events,
    owners: settings.phones,
    notify: deps.textNotice,
    notice: (to, key, values) => noticeFor(settings.notices, to, key, values),
    store: databaseOwnerRequests(deps.prisma),
    node: deps.node,
    crossNodeEvents: settings.crossNodeEvents,
    onError: (error) => logger.warn({ err: error }, "owner request bookkeeping failed"),
  });
  const census = createSocketCensus({
    prisma: deps.prisma,
    node: deps.node,
    intervalMs: settings.censusIntervalMs,
    onError: (error) => logger.warn({ err: error }, "socket census write failed"),
  });
  return {
    settings,
    desk,
    census,
    verifications: ownerConsoleLists(deps.engine, settings.testNumbers),
    conversionAlarms: conversionAlarms({
      sql: deps.sql,
      verificationsBetween: (from, to) => deps.engine.repo.createdBetween(from, to),
      events: deps.events,
      logger,
      settings: settings.conversionAlarm,
      owners: settings.phones,
      textOwner: deps.textNotice,
      notice: (to, key, values) => noticeFor(settings.notices, to, key, values),
      clock: deps.clock,
    }),
    requireOwner(session) {
      if (!desk.isOwner(session.user.phone)) throw new TextgateError("forbidden", "Only owners (OWNER_PHONES) may do that.");
      return session;
    },
    async close() {
      desk.close();
      await census.close();
    },
  };
}
