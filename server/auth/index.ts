/**
 * The auth feature: textgate's own sign-in by phone, its users and server-side sessions, and the account
 * actions. Built once by createTextgate (server/textgate.ts) from its section of the configuration; the
 * routes under app/api/auth and app/api/account call these services, never the tables.
 */
import type { Redis } from "ioredis";
import type { NextAuthOptions } from "next-auth";
import type { Logger } from "pino";
import type { AuthClientConfig } from "../../lib/auth/contract.ts";
import type { AuthSettings } from "../config-sections.ts";
import type { Db } from "../db/client.ts";
import type { Sql } from "../store/sql.ts";
import type { EventBus } from "../events/bus.ts";
import { isClientAbort } from "../http/client-abort.ts";
import type { InProcessSignIn } from "../kit/in-process.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import { type AccountActions, createAccountActions } from "./account.ts";
import { ChallengeService } from "./challenges.ts";
import { authClientConfig } from "./client-config.ts";
import { createCountrySpread } from "./country-spread.ts";
import { nextAuthOptions } from "./options.ts";
import { SessionStore } from "./sessions.ts";
import { createInProcessSignIn } from "./sign-in.ts";
import { createStartLimits } from "./start-limits.ts";
import { createUserDirectory, type UserDirectory } from "./users.ts";

export interface AuthDeps {
  settings: AuthSettings;
  engine: VerificationEngine;
  events: EventBus;
  logger: Logger;
  prisma: Db;
  /** The engine's SQL executor: the session rows of sign-ins and session reads go through it (sessions.ts). */
  sql?: Sql;
  /** Limits shared by every node when REDIS_URL is set. */
  redis?: Redis;
  sandboxActive: boolean;
  textNotice: (to: string, body: string) => Promise<unknown>;
}

export interface AuthFeature {
  settings: AuthSettings;
  /** Sign-in and number-change codes, within the per-IP, per-number and country-spread limits. */
  challenges: ChallengeService;
  sessions: SessionStore;
  users: UserDirectory;
  account: AccountActions;
  /** What `textgate/next-auth`'s in-process mode calls (server/kit/in-process.ts). */
  signIn: InProcessSignIn;
  clientConfig: AuthClientConfig;
  nextAuthOptions: NextAuthOptions;
}

export function createAuth(deps: AuthDeps): AuthFeature {
  const { settings, engine, events, logger, redis } = deps;
  const challenges = new ChallengeService({
    engine,
    settings,
    logger,
    events,
    countrySpread: createCountrySpread({ maxCountries: settings.countriesPerIp, redis }),
    startLimits: createStartLimits({ perIp: settings.startLimitPerIp, perNumber: settings.startLimitPerNumber, redis }),
  });
  // Revocations are published so sockets close at once, on every node when REDIS_URL is set.
  const sessions = new SessionStore(deps.prisma, settings.sessionMaxAgeSeconds, undefined, (revoked) => events.publish("session.revoked", revoked), deps.sql ?? null);
  const users = createUserDirectory(deps.prisma, deps.sql ?? null);
  const clientConfig = authClientConfig(settings, deps.sandboxActive);
  const signIn = createInProcessSignIn({
    engine,
    users,
    challenges,
    clientConfig,
    // The client went away mid-request: nobody reads the answer, and nothing is wrong with the server.
    onError: (error) => (isClientAbort(error) ? logger.debug({ err: error }, "client went away during an auth route") : logger.error({ err: error }, "auth route failed")),
  });
  return {
    settings,
    challenges,
    sessions,
    users,
    account: createAccountActions({ settings, engine, challenges, users, sessions, textNotice: deps.textNotice }),
    signIn,
    clientConfig,
    nextAuthOptions: nextAuthOptions({ settings, sessions, signIn, logger }),
  };
}
