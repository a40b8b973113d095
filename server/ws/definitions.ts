/** The socket endpoints of this server, in one place: demos of each connect unit, and a bare echo. */
import { confirm } from "./units/confirm.ts";
import { confirmReply } from "./units/confirm-reply.ts";
import { ownerAlert } from "./units/owner-alert.ts";
import { reply } from "./units/reply.ts";
import { sendToken } from "./units/send-token.ts";
import { type AdmittedSocket, defineSession, type SessionDefinition } from "./sessions.ts";

const echo = (socket: AdmittedSocket, data: unknown) => socket.send(data);

export interface DefinitionOptions {
  /** Timeout of the demo units, in milliseconds (tests shorten it). */
  unitTimeoutMs?: number;
}

export function socketDefinitions(options: DefinitionOptions = {}): SessionDefinition[] {
  const timeoutMs = options.unitTimeoutMs;
  return [
    defineSession({ path: "/ws/echo", connect: [], onMessage: echo }),
    defineSession({ path: "/ws/demo/token", connect: [sendToken({ timeoutMs }), confirm()], onMessage: echo }),
    defineSession({ path: "/ws/demo/confirm-reply", connect: [confirmReply({ timeoutMs })], onMessage: echo }),
    defineSession({ path: "/ws/demo/reply", connect: [reply({ timeoutMs })], onMessage: echo }),
    defineSession({ path: "/ws/demo/owner-alert", connect: [ownerAlert({ waitForDecision: true, timeoutMs })], onMessage: echo }),
  ];
}
