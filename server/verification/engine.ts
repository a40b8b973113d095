/**
 * The verification engine: create, check, cancel, approve, fetch, resend and next step. No HTTP here.
 *
 * Invariants (each enforced by one conditional statement in repository.ts, never by read-then-write):
 * - a right code approves at most once: `status = 'pending' AND attempts < max AND expires_at > now`;
 * - wrong codes never count more than `maxAttempts`: the same condition guards the increment;
 * - after approval, expiry, cancellation or the last attempt, check answers verification_not_found
 *   for every case alike (as SignalWire's MFA API does); the stored status tells them apart.
 * Long-term guessing: wrong codes in a row per number, on every surface, lock the number for a doubling
 * delay and at most 100 a day (guess-limits.ts); a locked check is refused before the code is looked at.
 * Before anything is stored or sent: the destination policy (country allow-list, blocked line types) and
 * the global send budget (refused up front with 503 when spent; see send-budget.ts).
 * Test numbers (test-numbers.ts), decided per request from the clock: the configured code instead of
 * a generated or custom one, no carrier for any step (delivery.ts), no message taken from the send
 * budget (it meters what carriers are handed; a CI loop must not spend what real users need), and
 * every other rule as for any number: destination policy, pending policy, the per-number send limit,
 * attempts and guess limits. Such a verification expires at TEST_NUMBERS_VALID_UNTIL at the latest.
 * Policy for a new verification to a number (and purpose) that has one pending, per request or
 * PENDING_POLICY: "replace" (default: cancel the old one, send a fresh code, as the security checklist
 * prefers), "resend" (send the pending code again, as Twilio does) or "reject" (409, as Vonage does).
 */
import { uuidv7 } from "../../lib/ids.ts";
import crypto from "node:crypto";
import type { Span } from "@opentelemetry/api";
import type { Logger } from "pino";
import { isTextgateError, TextgateError } from "../../lib/errors.ts";
import { type LineType, maskPhone, parsePhone } from "../../lib/phone.ts";
import type { CarrierRegistry } from "../carriers/registry.ts";
import type { StatusUpdate } from "../carriers/types.ts";
import type { EventBus } from "../events/bus.ts";
import type { Sql } from "../store/sql.ts";
import { isUniqueViolation } from "../store/sql.ts";
import { CodeCrypto, generateCode, normalizeCode, plausibleCode } from "./codes.ts";
import { Deliverer, LEASE_MS } from "./delivery.ts";
import type { NoticeKind } from "../../lib/validations/notice.ts";
import { sendNotice } from "../notifications.ts";
import { inSpan } from "../telemetry/tracing.ts";
import { assertDestinationAllowed } from "./destination-policy.ts";
import { noticeFor } from "./notices.ts";
import { DEFAULT_GUESS_LIMITS, type GuessLimitSettings, GuessLimits, type Streak, streakColumns, streakOf } from "./guess-limits.ts";
import { canonicalLocale, localeForCountry } from "./locales.ts";
import { assertMessageFits } from "./messages.ts";
import { type CheckOutcome, type EngineObserver, FRAUD_REFUSALS, NO_OBSERVER } from "./observer.ts";
import { type DeliveryRecord, type NewDelivery, type VerificationRecord, VerificationRepository } from "./repository.ts";
import { type SendBudget, takeOrRefuse } from "./send-budget.ts";
import { type TestNumberSettings, testCodeFor } from "./test-numbers.ts";
import type { SendLimiter } from "./send-limits.ts";
import { eachConcurrently, SEND_CONCURRENCY, SendPacer } from "./send-pacer.ts";
import type {
  Channel,
  CheckResult,
  CreateResult,
  CreateVerificationInput,
  PendingPolicy,
  Surface,
  VerificationStatus,
  VerificationSummary,
  VerificationView,
} from "./types.ts";
import { PRESET_VALIDITY_SECONDS, resolveWorkflow, stepDueTimes } from "./workflows.ts";

/** Textmagic's Verify API (docs/compat/textmagic.md): a verification can be canceled no earlier than 30 seconds after it was created (the default). */
export const CANCEL_MIN_AGE_SECONDS = 30;

export interface EngineDefaults {
  brand: string;
  locale: string;
  codeLength: number;
  validForSeconds: number;
  maxAttempts: number;
  sender?: string;
  pendingPolicy: PendingPolicy;
  resendCooldownSeconds: number;
  allowedCountries: readonly string[];
  /** Line types codes are never sent to (BLOCKED_LINE_TYPES). */
  blockedLineTypes: readonly LineType[];
  /** Seconds after creation before a cancel is accepted (default CANCEL_MIN_AGE_SECONDS). */
  cancelMinAgeSeconds?: number;
  /** GUESS_LOCK_AFTER_FAILURES and GUESS_MAX_FAILURES_PER_DAY (default 10 and 100). */
  guessLimits?: GuessLimitSettings;
  /** The host code texts are bound to for autofill (PUBLIC_URL's, unless ORIGIN_BOUND_CODES=false). */
  originHost?: string | null;
  /** ANDROID_APP_HASH. */
  appHash?: string | null;
  /** TEST_NUMBERS and TEST_NUMBERS_VALID_UNTIL (test-numbers.ts). */
  testNumbers?: TestNumberSettings;
}

export interface EngineDeps {
  sql: Sql;
  carriers: CarrierRegistry;
  events: EventBus;
  logger: Logger;
  secret: string;
  sendLimiter: SendLimiter;
  /** The global send budget (SEND_BUDGET_PER_HOUR). */
  budget: SendBudget;
  defaults: EngineDefaults;
  /**
   * Tells a number that someone is trying its codes: once per streak of wrong codes, when it first
   * locks (server/textgate.ts texts it through sendNotice). Must not throw.
   */
  onGuessingLocked?: (alarm: { to: string; lockedForSeconds: number }) => void;
  /** Told check outcomes, fraud refusals and delivery times (the /metrics counters); default: nobody. */
  observer?: EngineObserver;
  clock?: () => Date;
}

/**
 * Which verification a check is for. `only`, with an id: the check is refused as not found unless the
 * verification has that purpose and surface (sign-in checks only its own, in one read: server/auth/sign-in.ts).
 */
export type CheckRef = { id: string; only?: { purpose: string; surface: string } } | { to: string; country?: string; purpose?: string };

export class VerificationEngine {
  readonly repo: VerificationRepository;
  readonly deliverer: Deliverer;
  private readonly codes: CodeCrypto;
  private readonly clock: () => Date;
  private readonly guesses: GuessLimits;
  private readonly pacer = new SendPacer(LEASE_MS);
  private readonly observer: EngineObserver;
  /** Refusals already counted by an inner operation (create's "resend" policy runs resend). */
  private readonly countedRefusals = new WeakSet<object>();
  private testNumbersStopLogged = false;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.observer = deps.observer ?? NO_OBSERVER;
    this.repo = new VerificationRepository(deps.sql);
    this.codes = new CodeCrypto(deps.secret);
    this.guesses = new GuessLimits(deps.sql, deps.defaults.guessLimits ?? DEFAULT_GUESS_LIMITS);
    this.deliverer = new Deliverer({
      repo: this.repo,
      carriers: deps.carriers,
      codes: this.codes,
      events: deps.events,
      logger: deps.logger,
      clock: this.clock,
      budget: deps.budget,
      pacer: this.pacer,
      observer: this.observer,
      defaultBrand: deps.defaults.brand,
      defaultSender: deps.defaults.sender,
      originHost: deps.defaults.originHost ?? null,
      appHash: deps.defaults.appHash ?? null,
    });
  }

  /**
   * Texts a catalog notice to `to` (POST /api/v1/notices: the texts of a host's socket units) under the
   * destination policy, per-number send limit and global send budget of codes, so notices cannot reach
   * numbers or volumes codes could not. `sent` false: no carrier took it.
   */
  sendNotice(input: { to: string; notice: NoticeKind; yes?: string; locale?: string; brand?: string }): Promise<{ to: string; sent: boolean }> {
    return this.operation("notice", { "textgate.notice": input.notice }, () => this.textNotice(input));
  }

  private async textNotice(input: { to: string; notice: NoticeKind; yes?: string; locale?: string; brand?: string }): Promise<{ to: string; sent: boolean }> {
    const { defaults } = this.deps;
    const phone = parsePhone(input.to);
    if (!phone) throw new TextgateError("invalid_phone_number", undefined, { details: [{ path: "to", message: "not a valid phone number" }] });
    if (input.locale !== undefined && !canonicalLocale(input.locale)) {
      throw new TextgateError("unsupported_locale", `The locale "${input.locale}" is not supported.`, { details: [{ path: "locale", message: "unsupported" }] });
    }
    assertDestinationAllowed(phone, defaults);
    await this.deps.sendLimiter.consume(phone.e164);
    await takeOrRefuse(this.deps.budget);
    const settings = { brand: input.brand ?? defaults.brand, defaultLocale: defaults.locale };
    const text = noticeFor(settings, phone.e164, input.notice, { yes: input.yes ?? "YES" }, input.locale);
    const sent = await sendNotice({ carriers: this.deps.carriers, logger: this.deps.logger, config: { DEFAULT_SENDER: defaults.sender } }, phone.e164, text);
    return { to: phone.e164, sent };
  }

  /** Starts a verification and sends its first step before answering. */
  create(input: CreateVerificationInput): Promise<CreateResult> {
    return this.operation("create", { "textgate.surface": input.surface ?? "native" }, async (span) => {
      const result = await this.start(input);
      span.setAttributes({ "textgate.verification_id": result.verification.id, "textgate.channel": result.verification.channel });
      if (result.replayed) span.setAttribute("textgate.replayed", true);
      if (result.resent) span.setAttribute("textgate.resent", true);
      return result;
    });
  }

  private async start(input: CreateVerificationInput): Promise<CreateResult> {
    const { defaults, sendLimiter } = this.deps;
    const requestHash = input.idempotencyKey ? hashRequest(input) : null;
    if (input.idempotencyKey) {
      const earlier = await this.repo.findByIdempotencyKey(input.apiKeyId ?? null, input.idempotencyKey);
      if (earlier) return this.replay(earlier, requestHash);
    }

    const phone = parsePhone(input.to, input.country);
    if (!phone) throw new TextgateError("invalid_phone_number", undefined, { details: [{ path: "to", message: "not a valid phone number" }] });
    assertDestinationAllowed(phone, defaults);
    const workflow = resolveWorkflow(input);
    for (const step of workflow.steps) {
      if (!this.deps.carriers.supports(step.channel)) {
        throw new TextgateError("channel_unavailable", `No carrier is configured for ${step.channel} on this server.`);
      }
    }
    const locale = canonicalLocale(input.locale ?? localeForCountry(phone.country) ?? defaults.locale);
    if (!locale) {
      throw new TextgateError("unsupported_locale", `The locale "${input.locale}" is not supported.`, { details: [{ path: "locale", message: "unsupported" }] });
    }
    const now = this.clock();
    // A test number's code is the configured one, whatever the request asked for (as Firebase's and Supabase's).
    const testCode = testCodeFor(defaults.testNumbers, phone.e164, now);
    if (testCode === null && !this.testNumbersStopLogged) this.logTestNumbersStopped(now);
    const customCode = testCode === null && input.code !== undefined;
    const code =
      testCode ?? (customCode ? normalizeCode(input.code as string) : generateCode(input.codeLength ?? defaults.codeLength, input.alphanumeric ?? false));
    const alphanumeric = /[A-Z]/.test(code) || (testCode === null && !customCode && (input.alphanumeric ?? false));
    const brand = input.brand ?? defaults.brand;
    for (const channel of new Set(workflow.steps.map((s) => s.channel))) {
      assertMessageFits({ channel, locale, brand, template: input.template ?? null, codeLength: code.length, alphanumeric });
    }
    const purpose = input.purpose ?? "verify";
    const policy = input.onPending ?? defaults.pendingPolicy;

    // "replace" finds and cancels the pending one as it inserts (repository.insertReplacingPending); the
    // other two policies answer before anything is written or counted.
    const pending = policy === "replace" ? null : await this.repo.findPending(phone.e164, purpose, now);
    if (pending && policy === "reject") throw new TextgateError("verification_pending");
    if (pending && policy === "resend") {
      const view = await this.resend(pending.id, { channel: input.channel ?? workflow.steps[0]?.channel, ignoreCooldown: true });
      return { verification: view, replayed: false, resent: true };
    }

    await sendLimiter.consume(phone.e164);
    if (testCode === null) await takeOrRefuse(this.deps.budget);
    const id = uuidv7();
    const requestedValidFor = input.validFor ?? (workflow.preset ? PRESET_VALIDITY_SECONDS : defaults.validForSeconds);
    // A test verification ends with the test numbers at the latest (its validity says so too).
    const validUntil = testCode !== null ? defaults.testNumbers?.validUntil : null;
    const capped = validUntil && validUntil.getTime() < now.getTime() + requestedValidFor * 1000;
    const expiresAt = capped ? validUntil : new Date(now.getTime() + requestedValidFor * 1000);
    const validFor = capped ? Math.floor((validUntil.getTime() - now.getTime()) / 1000) : requestedValidFor;
    const record: VerificationRecord = {
      id,
      to: phone.e164,
      purpose,
      status: "pending",
      workflow: workflow.steps,
      workflowPreset: workflow.preset,
      codeHash: this.codes.hash(code, { verificationId: id, to: phone.e164, purpose }),
      codeSealed: this.codes.seal(code, id),
      codeLength: code.length,
      alphanumeric,
      customCode,
      locale,
      brand,
      template: input.template ?? null,
      sender: input.sender ?? null,
      attempts: 0,
      maxAttempts: input.maxAttempts ?? defaults.maxAttempts,
      validFor,
      expiresAt,
      surface: input.surface ?? "native",
      testNumber: testCode !== null,
      clientRef: input.clientRef ?? null,
      apiKeyId: input.apiKeyId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    const dueTimes = stepDueTimes(workflow.steps, now);
    const deliveries: NewDelivery[] = workflow.steps.map((step, index) => ({
      id: uuidv7(),
      stepIndex: index,
      kind: "workflow",
      channel: step.channel,
      // Step 0 is claimed by this request and handed over below (recorded in the insert, so no extra
      // statement: after a crash it is looked up from now); the rest wait for the scheduler.
      status: index === 0 ? "sending" : "scheduled",
      dueAt: dueTimes[index] as Date,
      leaseUntil: index === 0 ? new Date(now.getTime() + LEASE_MS) : null,
      leaseToken: index === 0 ? newLeaseToken() : null,
      handedAt: index === 0 ? now : null,
    }));

    let replaced: VerificationRecord | null = null;
    try {
      if (policy === "replace") replaced = await this.repo.insertReplacingPending(record, deliveries);
      else await this.repo.insertAtomically(record, deliveries);
    } catch (error) {
      if (input.idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.repo.findByIdempotencyKey(input.apiKeyId ?? null, input.idempotencyKey);
        if (earlier) return this.replay(earlier, requestHash);
      }
      throw error;
    }
    if (replaced) this.deps.events.publish("verification.canceled", { ...refOf(replaced), reason: "replaced" });
    this.deps.events.publish("verification.created", { ...refOf(record), expiresAt: record.expiresAt.toISOString(), country: phone.country ?? "unknown" });
    const first = await this.deliverer.deliver(asRecord(deliveries[0] as NewDelivery, id), record, { budgetTaken: true, handedAtClaim: true });
    // Built from what this call wrote, without reading it back, unless the send failed the verification.
    const verification = first.failedVerification
      ? await this.view(id)
      : compose(record, [first.delivery, ...deliveries.slice(1).map((d) => asRecord(d, id))]);
    return { verification, replayed: false, resent: false };
  }

  private async replay(earlier: VerificationRecord, requestHash: string | null): Promise<CreateResult> {
    if (earlier.requestHash !== requestHash) throw new TextgateError("idempotency_key_reused");
    return { verification: await this.toView(earlier), replayed: true, resent: false };
  }

  /** The current state of a verification (any status); never the code. */
  async get(id: string): Promise<VerificationView> {
    const record = await this.repo.findById(id);
    if (!record) throw new TextgateError("verification_not_found");
    return this.toView(await this.settleExpiry(record));
  }

  /**
   * The newest verifications (for the owner console), each with the status the native API would answer
   * for it: a pending one past its expiry reads as expired. Looking does not change anything.
   */
  async listRecent(filter: { limit: number; status?: VerificationStatus; surface?: Surface; testNumber?: boolean }): Promise<VerificationSummary[]> {
    const now = this.clock();
    const records = await this.repo.listRecent({ ...filter, now });
    return records.map((r) => summarize(r.status === "pending" && r.expiresAt <= now ? { ...r, status: "expired", finishedAt: r.finishedAt ?? r.expiresAt } : r));
  }

  /**
   * Whether the verification a check named (by id, or the newest to a number and purpose) is unexpired
   * but out of attempts: the compat APIs answer that with their vendor's "max attempts" instead of "not found".
   */
  async isOutOfAttempts(ref: { id: string } | { to: string; purpose?: string }): Promise<boolean> {
    let record: VerificationRecord | null;
    if ("id" in ref) record = await this.repo.findById(ref.id);
    else {
      const phone = parsePhone(ref.to);
      record = phone ? await this.repo.findNewest(phone.e164, ref.purpose ?? "verify") : null;
    }
    return record !== null && record.status === "max_attempts_reached" && record.expiresAt > this.clock();
  }

  /**
   * A carrier's delivery receipt (POST /api/webhooks/:carrier/status): moves the delivery forward and
   * publishes verification.delivery_updated; a replay, a late "sent" or an unknown receipt changes and
   * publishes nothing (repository.applyCarrierStatus). True when the delivery changed.
   */
  async applyCarrierReceipt(carrier: string, update: StatusUpdate): Promise<boolean> {
    const failed = update.status === "failed";
    const at = this.clock();
    const changed = await this.repo.applyCarrierStatus({
      carrier,
      carrierMessageId: update.carrierMessageId,
      deliveryId: update.deliveryId,
      status: update.status,
      errorCode: failed ? "carrier_undelivered" : undefined,
      error: failed ? `${carrier} reported the message undelivered${update.carrierError ? ` (${update.carrierError})` : ""}` : undefined,
      at,
    });
    if (!changed) return false;
    const { deliveryId, verificationId, to, purpose, surface, channel, status } = changed;
    if (status === "delivered" && changed.sentAt) this.observer.delivered(carrier, changed.deliveryChannel, (at.getTime() - changed.sentAt.getTime()) / 1000);
    this.deps.events.publish("verification.delivery_updated", {
      verificationId,
      to,
      purpose,
      surface,
      channel,
      deliveryId,
      status,
      ...(failed ? { errorCode: "carrier_undelivered" } : {}),
    });
    return true;
  }

  /** The newest checkable verification to a number, or null. */
  async findPending(to: string, options: { country?: string; purpose?: string } = {}): Promise<VerificationView | null> {
    const phone = parsePhone(to, options.country);
    if (!phone) return null;
    const record = await this.repo.findPending(phone.e164, options.purpose ?? "verify", this.clock());
    return record ? this.toView(record) : null;
  }

  /**
   * Checks a code. A wrong code uses one attempt and counts toward the number's streak of wrong codes;
   * the right one approves exactly once and ends the streak. While the number is locked by its streak,
   * too_many_failed_attempts (429, Retry-After), and the code is neither tested nor counted.
   */
  check(ref: CheckRef, code: string): Promise<CheckResult> {
    return this.operation("check", "id" in ref ? { "textgate.verification_id": ref.id } : {}, async (span) => {
      try {
        const result = await this.checkCode(ref, code, span);
        this.observer.checked(result.valid ? "approved" : "wrong_code");
        span.setAttribute("textgate.check_outcome", result.valid ? "approved" : "wrong_code");
        return result;
      } catch (error) {
        const outcome = refusedCheck(error);
        if (outcome) this.observer.checked(outcome);
        throw error;
      }
    });
  }

  private async checkCode(ref: CheckRef, code: string, span: Span): Promise<CheckResult> {
    const now = this.clock();
    const { record, guessing } = await this.findCheckable(ref, now);
    span.setAttributes({ "textgate.verification_id": record.id, "textgate.surface": record.surface });
    const hadFailures = this.guesses.assertOpen(guessing, now);
    const submitted = normalizeCode(code);
    if (!plausibleCode(submitted, record.codeLength, record.alphanumeric)) {
      // Cannot be right, so no attempt is used; the caller gets told the expected shape.
      throw new TextgateError(
        "invalid_request",
        `The code must be ${record.codeLength} ${record.alphanumeric ? "letters or digits" : "digits"}.`,
        { details: [{ path: "code", message: "wrong length or characters" }] },
      );
    }
    const binding = { verificationId: record.id, to: record.to, purpose: record.purpose };
    const ref_ = refOf(record);
    // Only workflows of several steps have scheduled rows to drop when the verification ends.
    const hasLaterSteps = record.workflow.length > 1;
    if (this.codes.matches(submitted, binding, record.codeHash)) {
      const approved = hasLaterSteps
        ? await this.deps.sql.transaction(async (tx) => {
            if (!(await this.repo.finish(record.id, "approved", now, true, tx))) return false;
            await this.repo.dropScheduled(record.id, now, tx);
            return true;
          })
        : await this.repo.finish(record.id, "approved", now, true);
      if (!approved) throw new TextgateError("verification_not_found");
      if (hadFailures) await this.guesses.reset(record.to);
      this.logTestUse(record, "test number: the configured code was checked and approved");
      this.deps.events.publish("verification.approved", { ...ref_, by: "code" });
      const summary = summarize({ ...record, status: "approved", attempts: record.attempts + 1, updatedAt: now, finishedAt: now });
      return { valid: true, status: "approved", attemptsLeft: 0, verification: summary };
    }
    const attempts = await this.repo.countFailedAttempt(record.id, now);
    if (attempts === null) throw new TextgateError("verification_not_found");
    const attemptsLeft = Math.max(record.maxAttempts - attempts, 0);
    this.logTestUse(record, "test number: a wrong code was checked");
    this.deps.events.publish("verification.attempt_failed", { ...ref_, attempts, attemptsLeft });
    const streak = await this.guesses.recordFailure(record.to, now);
    if (streak.notify && streak.lockedForSeconds !== null) {
      this.deps.events.publish("verification.guessing_locked", { ...ref_, failures: streak.failures, lockedForSeconds: streak.lockedForSeconds });
      this.deps.onGuessingLocked?.({ to: record.to, lockedForSeconds: streak.lockedForSeconds });
    }
    if (attemptsLeft === 0 && (await this.repo.markAttemptsExhausted(record.id, now))) {
      if (hasLaterSteps) await this.repo.dropScheduled(record.id, now);
      this.deps.events.publish("verification.max_attempts_reached", { ...ref_, attempts });
    }
    const status = attemptsLeft === 0 ? "max_attempts_reached" : "pending";
    const summary = summarize({ ...record, status, attempts, updatedAt: now, finishedAt: attemptsLeft === 0 ? now : null });
    return { valid: false, status, attemptsLeft, verification: summary };
  }

  /** Cancels a pending verification; by default refused in its first 30 seconds (Textmagic's rule). */
  cancel(id: string, options: { enforceMinimumAge?: boolean } = {}): Promise<VerificationView> {
    return this.operation("cancel", { "textgate.verification_id": id }, () => this.end(id, options));
  }

  private async end(id: string, options: { enforceMinimumAge?: boolean }): Promise<VerificationView> {
    const now = this.clock();
    const record = await this.usable(id, now);
    const ageSeconds = (now.getTime() - record.createdAt.getTime()) / 1000;
    const minimumAge = this.deps.defaults.cancelMinAgeSeconds ?? CANCEL_MIN_AGE_SECONDS;
    if ((options.enforceMinimumAge ?? true) && ageSeconds < minimumAge) {
      const wait = Math.ceil(minimumAge - ageSeconds);
      throw new TextgateError("cancel_too_early", `A verification can be canceled only ${minimumAge} seconds after it was created: wait ${wait} s.`, {
        retryAfter: wait,
      });
    }
    const canceled = await this.deps.sql.transaction(async (tx) => {
      if (!(await this.repo.end(id, "canceled", now, tx))) return false;
      await this.repo.dropScheduled(id, now, tx);
      return true;
    });
    if (!canceled) throw new TextgateError("verification_not_found");
    this.deps.events.publish("verification.canceled", { ...refOf(record), reason: "request" });
    return this.view(id);
  }

  /** Approves a pending verification without a code (an owner's decision; Twilio's Status=approved). */
  approve(id: string): Promise<VerificationView> {
    return this.operation("approve", { "textgate.verification_id": id }, () => this.approveNow(id));
  }

  private async approveNow(id: string): Promise<VerificationView> {
    const now = this.clock();
    const record = await this.usable(id, now);
    const approved = await this.deps.sql.transaction(async (tx) => {
      if (!(await this.repo.finish(id, "approved", now, false, tx))) return false;
      await this.repo.dropScheduled(id, now, tx);
      return true;
    });
    if (!approved) throw new TextgateError("verification_not_found");
    this.deps.events.publish("verification.approved", { ...refOf(record), by: "owner" });
    return this.view(id);
  }

  /**
   * Sends the same code again, now, on the given channel (default: the first step's). Attempts are not
   * reset. Counts toward the per-number send limit and the send budget, and honours RESEND_COOLDOWN_SECONDS.
   */
  resend(id: string, options: { channel?: Channel; ignoreCooldown?: boolean } = {}): Promise<VerificationView> {
    return this.operation("resend", { "textgate.verification_id": id }, () => this.sendAgain(id, options));
  }

  private async sendAgain(id: string, options: { channel?: Channel; ignoreCooldown?: boolean }): Promise<VerificationView> {
    const now = this.clock();
    const record = await this.usable(id, now);
    const channel = options.channel ?? record.workflow[0]?.channel ?? "sms";
    if (!this.deps.carriers.supports(channel)) throw new TextgateError("channel_unavailable", `No carrier is configured for ${channel} on this server.`);
    assertMessageFits({
      channel,
      locale: record.locale,
      brand: record.brand ?? this.deps.defaults.brand,
      template: record.template,
      codeLength: record.codeLength,
      alphanumeric: record.alphanumeric,
    });
    const cooldown = this.deps.defaults.resendCooldownSeconds;
    if (!options.ignoreCooldown && cooldown > 0) {
      const last = await this.repo.lastDeliveryCreatedAt(id);
      const wait = last ? Math.ceil(cooldown - (now.getTime() - last.getTime()) / 1000) : 0;
      if (wait > 0) throw new TextgateError("rate_limited", `Wait ${wait} s before sending the code again.`, { retryAfter: wait });
    }
    await this.deps.sendLimiter.consume(record.to);
    if (!record.testNumber) await takeOrRefuse(this.deps.budget);
    const delivery: NewDelivery = {
      id: uuidv7(),
      stepIndex: await this.repo.deliveryCount(id),
      kind: "resend",
      channel,
      status: "sending",
      dueAt: now,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      leaseToken: newLeaseToken(),
      handedAt: now,
    };
    await this.repo.insertDelivery(id, delivery, now);
    await this.deliverer.deliver(asRecord(delivery, id), record, { budgetTaken: true, handedAtClaim: true });
    return this.view(id);
  }

  /** Sends the next scheduled workflow step now instead of at its time (Vonage's next_workflow). */
  nextStep(id: string): Promise<VerificationView> {
    return this.operation("next_step", { "textgate.verification_id": id }, () => this.sendNextStep(id));
  }

  private async sendNextStep(id: string): Promise<VerificationView> {
    const now = this.clock();
    const record = await this.usable(id, now);
    const next = await this.repo.nextScheduled(id);
    if (next && !record.testNumber) await takeOrRefuse(this.deps.budget);
    const claimed = next ? await this.repo.claimOne(next.id, now, new Date(now.getTime() + LEASE_MS), newLeaseToken()) : null;
    if (!claimed) throw new TextgateError("verification_pending", "This verification has no further workflow step to send.");
    await this.deliverer.deliver(claimed, record, { budgetTaken: true, handedAtClaim: true });
    return this.view(id);
  }

  /**
   * Scheduler work: sends due steps (and steps a dead process left half-sent). Claims no more than can
   * be handed to carriers within half a lease (send-pacer.ts), sends SEND_CONCURRENCY verifications at
   * a time and the steps of one verification one after the other, in step order, so a lookup after a
   * crash never has two unrecorded sends of one verification to tell apart. Returns how many were claimed.
   */
  async runDueDeliveries(limit = this.pacer.claimLimit()): Promise<number> {
    const now = this.clock();
    const claimed = await this.repo.claimDue(now, new Date(now.getTime() + LEASE_MS), limit, newLeaseToken());
    const byVerification = new Map<string, DeliveryRecord[]>();
    for (const d of claimed) byVerification.set(d.verificationId, [...(byVerification.get(d.verificationId) ?? []), d]);
    await eachConcurrently([...byVerification.values()], SEND_CONCURRENCY, async (steps) => {
      for (const delivery of steps) {
        // Read again before each step: the one before may have ended the verification.
        const record = await this.repo.findById(delivery.verificationId);
        if (!record) return;
        await this.deliverer.deliver(delivery, record).catch((error: unknown) => {
          this.deps.logger.error({ err: error, deliveryId: delivery.id }, "delivery failed unexpectedly");
        });
      }
    });
    return claimed.length;
  }

  /** Scheduler work: marks pending verifications past their expiry and drops their remaining steps. */
  async expireDue(limit = 200): Promise<number> {
    const now = this.clock();
    const expired = await this.repo.expireDue(now, limit);
    for (const v of expired) {
      await this.repo.dropScheduled(v.id, now);
      this.deps.events.publish("verification.expired", refOf(v));
    }
    return expired.length;
  }

  /**
   * One engine operation in a span (`textgate.verification.<name>`, server/telemetry/tracing.ts) whose
   * carrier calls are its children; a fraud refusal (observer.ts) is counted once, by the innermost operation.
   */
  private operation<T>(name: string, attributes: Record<string, string>, fn: (span: Span) => Promise<T>): Promise<T> {
    return inSpan(`textgate.verification.${name}`, attributes, async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        if (isTextgateError(error) && FRAUD_REFUSALS.has(error.code) && !this.countedRefusals.has(error)) {
          this.countedRefusals.add(error);
          this.observer.refused(error.code);
        }
        throw error;
      }
    });
  }

  /** The verification a check is for, if it can still be checked, and its number's guessing streak, in one read. */
  private async findCheckable(ref: CheckRef, now: Date): Promise<{ record: VerificationRecord; guessing: Streak }> {
    let id: string;
    if ("id" in ref) {
      id = ref.id;
    } else {
      const phone = parsePhone(ref.to, ref.country);
      const pending = phone ? await this.repo.findPending(phone.e164, ref.purpose ?? "verify", now) : null;
      if (!pending) throw new TextgateError("verification_not_found");
      id = pending.id;
    }
    const found = await this.repo.findByIdWith(id, streakColumns);
    if (!found) throw new TextgateError("verification_not_found");
    const record = await this.stillUsable(found.record, now);
    if ("id" in ref && ref.only && (record.purpose !== ref.only.purpose || record.surface !== ref.only.surface)) throw new TextgateError("verification_not_found");
    return { record, guessing: streakOf(found.row) };
  }

  /** A verification that can still be checked, or verification_not_found (the same for every reason). */
  private async usable(id: string, now: Date): Promise<VerificationRecord> {
    const record = await this.repo.findById(id);
    if (!record) throw new TextgateError("verification_not_found");
    return this.stillUsable(record, now);
  }

  private async stillUsable(record: VerificationRecord, now: Date): Promise<VerificationRecord> {
    const settled = await this.settleExpiry(record, now);
    if (settled.status !== "pending" || settled.attempts >= settled.maxAttempts) throw new TextgateError("verification_not_found");
    return settled;
  }

  /** Records expiry as soon as anyone looks at an expired verification (the scheduler also sweeps). */
  private async settleExpiry(record: VerificationRecord, now = this.clock()): Promise<VerificationRecord> {
    if (record.status !== "pending" || record.expiresAt > now) return record;
    if (await this.repo.end(record.id, "expired", now)) {
      await this.repo.dropScheduled(record.id, now);
      this.deps.events.publish("verification.expired", refOf(record));
    }
    return { ...record, status: "expired", finishedAt: record.finishedAt ?? now };
  }

  /** Once per process, at the first create after TEST_NUMBERS_VALID_UNTIL: they are ordinary numbers now. */
  private logTestNumbersStopped(now: Date): void {
    const { numbers, validUntil } = this.deps.defaults.testNumbers ?? {};
    if (!numbers?.length || !validUntil || now < validUntil) return;
    this.testNumbersStopLogged = true;
    this.deps.logger.warn(
      { testNumbers: numbers.map((n) => maskPhone(n.e164)), validUntil: validUntil.toISOString() },
      "test numbers stopped at TEST_NUMBERS_VALID_UNTIL: they get real codes now; remove TEST_NUMBERS before the next restart",
    );
  }

  /** Use of a test number, in the log (masked number, never the code). */
  private logTestUse(record: VerificationRecord, message: string): void {
    if (record.testNumber) this.deps.logger.info({ testNumber: maskPhone(record.to), verificationId: record.id, surface: record.surface }, message);
  }

  private async view(id: string): Promise<VerificationView> {
    const record = await this.repo.findById(id);
    if (!record) throw new TextgateError("verification_not_found");
    return this.toView(record);
  }

  private async toView(r: VerificationRecord): Promise<VerificationView> {
    return compose(r, await this.repo.deliveriesOf(r.id));
  }
}

function summarize(r: VerificationRecord): VerificationSummary {
  return {
    id: r.id,
    to: r.to,
    purpose: r.purpose,
    status: r.status,
    channel: r.workflow[0]?.channel ?? "sms",
    workflow: r.workflow,
    workflowPreset: r.workflowPreset,
    codeLength: r.codeLength,
    alphanumeric: r.alphanumeric,
    locale: r.locale,
    brand: r.brand,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    attemptsLeft: r.status === "pending" ? Math.max(r.maxAttempts - r.attempts, 0) : 0,
    validFor: r.validFor,
    expiresAt: r.expiresAt,
    surface: r.surface,
    testNumber: r.testNumber,
    clientRef: r.clientRef,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    finishedAt: r.finishedAt,
  };
}

function compose(r: VerificationRecord, deliveries: readonly DeliveryRecord[]): VerificationView {
  return {
    ...summarize(r),
    sends: deliveries.filter((d) => d.sentAt !== null).length,
    deliveries: deliveries.map(({ verificationId: _v, leaseUntil: _l, leaseToken: _k, handedAt: _h, tries: _t, ...d }) => d),
  };
}

function refOf(r: Pick<VerificationRecord, "id" | "to" | "purpose" | "surface" | "workflow">) {
  return { verificationId: r.id, to: r.to, purpose: r.purpose, surface: r.surface, channel: r.workflow[0]?.channel ?? "sms" };
}

/** A check refused before any code was compared, by its error; null for anything unexpected. */
function refusedCheck(error: unknown): CheckOutcome | null {
  if (!isTextgateError(error)) return null;
  if (error.code === "too_many_failed_attempts") return "locked";
  if (error.code === "invalid_request") return "bad_format";
  if (error.code === "verification_not_found") return "not_found";
  return null;
}

/** A fresh claim's lease token: the claimer re-checks it before each carrier call (repository.ts `handOver`). */
function newLeaseToken(): string {
  return crypto.randomUUID();
}

function asRecord(d: NewDelivery, verificationId: string): DeliveryRecord {
  return { ...d, verificationId, carrier: null, carrierMessageId: null, tries: 1, errorCode: null, error: null, sentAt: null, deliveredAt: null, failedAt: null };
}

/** A stable hash of what a create asked for, to tell a retry from a different request under one key. */
function hashRequest(input: CreateVerificationInput): string {
  const { idempotencyKey: _k, apiKeyId: _a, ...rest } = input;
  return crypto.createHash("sha256").update(canonicalJson(rest)).digest("base64url");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
