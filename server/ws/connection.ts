/**
 * One socket: wires its events, keeps it pending while the connect units of its session run (in order),
 * then admits it and hands its messages to the application.
 */
import type { WebSocket } from "ws";
import { CLOSE, CLOSE_REASON, type ServerMessage } from "../../lib/socket/protocol.ts";
import type { SessionUser } from "../../lib/auth/contract.ts";
import { parseFrame } from "./messages.ts";
import { MessageRate } from "./rate-limit.ts";
import type { AdmittedSocket, SessionDefinition, SessionUnit, UnitContext, UnitResult } from "./sessions.ts";

export interface ConnectionDeps {
  messagesPerSecond: number;
  /** Builds the context of one unit run (server services bound to this socket). */
  unitContext(connection: Connection, signal: AbortSignal): UnitContext | null;
  onClose(connection: Connection): void;
  onError(error: unknown, connection: Connection): void;
}

class Aborted extends Error {}

export class Connection {
  state: "pending" | "admitted" | "closed" = "pending";
  isAlive = true;
  /** When the socket's sign-in ends (epoch ms), if the gate was told (SocketIdentity.expiresAt). */
  expiresAt: number | undefined;
  private readonly rate: MessageRate;
  private tokenWaiter: ((code: string) => void) | null = null;
  private unitAbort: AbortController | null = null;
  private admitted: AdmittedSocket | null = null;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly user: SessionUser,
    readonly sessionId: string,
    readonly definition: SessionDefinition,
    private readonly deps: ConnectionDeps,
  ) {
    this.rate = new MessageRate(deps.messagesPerSecond);
    socket.on("error", (error) => deps.onError(error, this));
    socket.on("pong", () => {
      this.isAlive = true;
    });
    socket.on("message", (raw, isBinary) => {
      if (this.state === "closed") return;
      if (!this.rate.take()) return this.close(CLOSE.rateLimited, CLOSE_REASON.rateLimited);
      const frame = parseFrame(raw, isBinary);
      if (!frame.ok) {
        this.send({ type: "error", code: "invalid_frame", message: frame.message });
        return this.close(frame.binary ? CLOSE.unsupported : CLOSE.policy, frame.binary ? CLOSE_REASON.binary : CLOSE_REASON.invalidFrame);
      }
      const message = frame.message;
      if (message.type === "token") {
        const waiter = this.tokenWaiter;
        if (this.state !== "pending" || !waiter) return this.send({ type: "error", code: "unexpected_token", message: "No unit is waiting for a token." });
        this.tokenWaiter = null;
        return waiter(message.code);
      }
      if (this.state !== "admitted" || !this.admitted) return this.send({ type: "error", code: "not_admitted", message: "The socket is not admitted yet." });
      this.guarded(() => this.admitted && this.definition.onMessage?.(this.admitted, message.data));
    });
    socket.on("close", () => {
      this.state = "closed";
      this.unitAbort?.abort(new Aborted("closed"));
      this.tokenWaiter = null;
      deps.onClose(this);
    });
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.unitAbort?.abort(new Aborted("closed"));
    this.socket.close(code, reason);
  }

  /** The next `token` frame (one waiter at a time). */
  nextToken(signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.tokenWaiter = null;
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.tokenWaiter = (code) => {
        signal.removeEventListener("abort", onAbort);
        resolve(code);
      };
    });
  }

  /** Runs the connect units in order; admits the socket when all pass, else closes it. */
  async start(): Promise<void> {
    for (const unit of this.definition.connect) {
      if (!unit.run) continue;
      const result = await this.runUnit(unit);
      if (this.state === "closed") return;
      if (!result.ok) return this.close(result.code, result.reason);
      this.send({ type: "unit_passed", unit: unit.name });
    }
    if (this.state !== "pending") return;
    this.state = "admitted";
    this.admitted = {
      id: this.id,
      user: this.user,
      send: (data) => this.send({ type: "message", data }),
      close: (code = CLOSE.normal, reason = "") => this.close(code, reason),
    };
    this.send({ type: "admitted" });
    for (const unit of this.definition.connect) {
      if (!unit.afterAdmit) continue;
      const ctx = this.deps.unitContext(this, new AbortController().signal);
      if (ctx) unit.afterAdmit(ctx).catch((error: unknown) => this.deps.onError(error, this));
    }
    this.guarded(() => this.admitted && this.definition.onAdmit?.(this.admitted));
  }

  /** Runs an application handler: an exception closes this socket (1011) instead of the process. */
  private guarded(handler: () => unknown): void {
    try {
      handler();
    } catch (error) {
      this.deps.onError(error, this);
      this.close(CLOSE.serverError, CLOSE_REASON.serverError);
    }
  }

  private async runUnit(unit: SessionUnit): Promise<UnitResult> {
    if (!unit.run) return { ok: true };
    const abort = new AbortController();
    this.unitAbort = abort;
    const ctx = this.deps.unitContext(this, abort.signal);
    if (!ctx) return { ok: false, code: CLOSE.denied, reason: "no verified phone number" };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<UnitResult>((resolve) => {
      timer = setTimeout(() => {
        abort.abort(new Aborted("timed out"));
        resolve({ ok: false, code: CLOSE.timedOut, reason: CLOSE_REASON.timedOut });
      }, unit.timeoutMs);
    });
    try {
      return await Promise.race([unit.run(ctx), timeout]);
    } catch (error) {
      if (abort.signal.aborted) return { ok: false, code: CLOSE.timedOut, reason: CLOSE_REASON.timedOut };
      this.deps.onError(error, this);
      return { ok: false, code: CLOSE.serverError, reason: CLOSE_REASON.serverError };
    } finally {
      clearTimeout(timer);
      if (!abort.signal.aborted) abort.abort(new Aborted("unit finished"));
      this.unitAbort = null;
    }
  }
}
