/**
 * Starting and resending sign-in codes for the SMS provider and the account pages. Limits per number
 * and per client IP (start-limits.ts: in memory, or shared by every node in Redis); the answer never
 * depends on whether the number has an account.
 * Beyond AUTH_COUNTRIES_PER_IP distinct countries from one IP in 24 h (country-spread.ts), a start is
 * blocked silently (security checklist items 19 and 22): answered exactly like a start that went out,
 * with a fresh verification id, but nothing is stored or sent; the block is logged with its reason and
 * published as `auth.start_blocked`. A code typed for it is "expired or used", like any unknown id.
 */
import type { Logger } from "pino";
import type { SmsChallenge } from "../../lib/auth/contract.ts";
import { TextgateError } from "../../lib/errors.ts";
import { uuidv7 } from "../../lib/ids.ts";
import { maskPhone, parsePhone } from "../../lib/phone.ts";
import type { AuthSettings, SignInCodeSettings } from "../config-sections.ts";
import type { EventBus } from "../events/bus.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import type { Surface, VerificationView } from "../verification/types.ts";
import type { CountrySpread } from "./country-spread.ts";
import type { StartLimits } from "./start-limits.ts";


export type ChallengePurpose = "login" | "change-phone";

export type ChallengeOptions = SignInCodeSettings;

export function toChallenge(v: Pick<VerificationView, "id" | "to" | "channel" | "codeLength" | "alphanumeric" | "attemptsLeft" | "expiresAt" | "deliveries">, cooldownSeconds: number): SmsChallenge {
  const lastSend = v.deliveries.reduce((latest, d) => Math.max(latest, (d.sentAt ?? d.dueAt).getTime()), 0);
  return {
    verificationId: v.id,
    to: v.to,
    channel: v.channel,
    codeLength: v.codeLength,
    alphanumeric: v.alphanumeric,
    attemptsLeft: v.attemptsLeft,
    expiresAt: v.expiresAt.toISOString(),
    resendAvailableAt: new Date(lastSend + cooldownSeconds * 1000).toISOString(),
  };
}

export interface ChallengeDeps {
  engine: VerificationEngine;
  settings: Pick<AuthSettings, "code" | "resendCooldownSeconds" | "countriesPerIp">;
  logger: Logger;
  events: EventBus;
  countrySpread: CountrySpread;
  startLimits: StartLimits;
}

export class ChallengeService {
  private readonly engine: VerificationEngine;
  private readonly cooldownSeconds: number;

  constructor(
    private readonly deps: ChallengeDeps,
    private readonly options: ChallengeOptions = deps.settings.code,
  ) {
    this.engine = deps.engine;
    this.cooldownSeconds = deps.settings.resendCooldownSeconds;
  }

  /** The same limits and engine with other code settings (a host's SmsProvider options, textgate/next-auth). */
  withOptions(options: Partial<ChallengeOptions>): ChallengeService {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    return Object.keys(defined).length ? new ChallengeService(this.deps, { ...this.options, ...defined }) : this;
  }

  /** Sends a code to a number for a purpose; `owner` ties a number-change code to the user asking. */
  async start(input: { phone: string; country?: string; purpose: ChallengePurpose; ip: string; owner?: string }): Promise<SmsChallenge> {
    const phone = parsePhone(input.phone, input.country);
    if (!phone) throw new TextgateError("invalid_phone_number", "That is not a valid phone number.", { details: [{ path: "phone", message: "not a valid phone number" }] });
    await this.deps.startLimits.consume(input.ip, phone.e164);
    const country = phone.country ?? "international";
    if (!(await this.deps.countrySpread.admit(input.ip, country))) return this.blockSilently(phone.e164, country, input.ip);
    const { verification } = await this.engine.create({
      to: phone.e164,
      purpose: input.purpose,
      surface: "auth" satisfies Surface,
      clientRef: input.owner,
      onPending: "replace",
      ...(this.options.channel === "voice" ? { channel: "voice" } : { channel: "sms" }),
      codeLength: this.options.codeLength,
      alphanumeric: this.options.alphanumeric,
      validFor: this.options.validFor,
      maxAttempts: this.options.maxAttempts,
      brand: this.options.brand,
      locale: this.options.locale,
      template: this.options.template,
    });
    return toChallenge(verification, this.cooldownSeconds);
  }

  /** Logs and publishes the block, and answers what a start that went out would answer. */
  private blockSilently(to: string, country: string, ip: string): SmsChallenge {
    const masked = maskPhone(to);
    const reason = "countries_per_ip";
    this.deps.logger.warn(
      { reason, ip, country, maskedTo: masked, maxCountries: this.deps.settings.countriesPerIp },
      "sign-in start blocked silently: too many countries from one IP; nothing sent",
    );
    this.deps.events.publish("auth.start_blocked", { reason, ip, country, to: masked });
    const now = Date.now();
    return {
      verificationId: uuidv7(),
      to,
      channel: this.options.channel,
      codeLength: this.options.codeLength,
      alphanumeric: this.options.alphanumeric,
      attemptsLeft: this.options.maxAttempts,
      expiresAt: new Date(now + this.options.validFor * 1000).toISOString(),
      resendAvailableAt: new Date(now + this.cooldownSeconds * 1000).toISOString(),
    };
  }

  /** Sends the same code again (limits and cooldown apply); only for a pending challenge of this purpose. */
  async resend(input: { verificationId: string; purpose: ChallengePurpose; ip: string; owner?: string }): Promise<SmsChallenge> {
    const current = await this.challengeFor(input.verificationId, input.purpose, input.owner);
    await this.deps.startLimits.consume(input.ip, current.to);
    return toChallenge(await this.engine.resend(current.id), this.cooldownSeconds);
  }

  /** The verification behind a challenge, refused (404) when it is not of this purpose or owner. */
  async challengeFor(verificationId: string, purpose: ChallengePurpose, owner?: string): Promise<VerificationView> {
    const view = await this.engine.get(verificationId).catch(() => null);
    if (!view || view.purpose !== purpose || view.surface !== "auth" || (owner !== undefined && view.clientRef !== owner)) {
      throw new TextgateError("verification_not_found");
    }
    return view;
  }
}
