/** textgate verifications and services in Twilio Verify v2's JSON field names. */
import type { Channel, VerificationSummary, VerificationView } from "../../../verification/types.ts";
import { uuidToHex } from "../shared.ts";

export interface ServiceRow {
  id: string;
  friendlyName: string;
  codeLength: number;
  customCodeEnabled: boolean;
  accountSid: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Twilio dates: ISO 8601 in UTC without milliseconds. */
export const twilioDate = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export const verificationSid = (id: string): string => `VE${uuidToHex(id)}`;

export const twilioChannel = (channel: Channel): "sms" | "call" => (channel === "voice" ? "call" : "sms");

export function serializeService(s: ServiceRow, base: string): Record<string, unknown> {
  const url = `${base}/v2/Services/${s.id}`;
  return {
    sid: s.id,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    code_length: s.codeLength,
    lookup_enabled: false,
    psd2_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: false,
    tts_name: null,
    do_not_share_warning_enabled: false,
    custom_code_enabled: s.customCodeEnabled,
    push: null,
    totp: null,
    default_template_sid: null,
    whatsapp: null,
    passkeys: null,
    verify_event_subscription_enabled: false,
    date_created: twilioDate(s.createdAt),
    date_updated: twilioDate(s.updatedAt),
    url,
    links: {
      verifications: `${url}/Verifications`,
      verification_checks: `${url}/VerificationCheck`,
    },
  };
}

export function serializeVerification(v: VerificationView, service: ServiceRow, base: string): Record<string, unknown> {
  const sid = verificationSid(v.id);
  return {
    sid,
    service_sid: service.id,
    account_sid: service.accountSid,
    to: v.to,
    channel: twilioChannel(v.channel),
    status: v.status,
    valid: v.status === "approved",
    lookup: { carrier: null },
    amount: null,
    payee: null,
    send_code_attempts: v.deliveries
      .filter((d) => d.sentAt !== null)
      .map((d) => ({ attempt_sid: `VL${uuidToHex(d.id)}`, channel: twilioChannel(d.channel), time: (d.sentAt as Date).toISOString() })),
    date_created: twilioDate(v.createdAt),
    date_updated: twilioDate(v.updatedAt),
    sna: null,
    url: `${base}/v2/Services/${service.id}/Verifications/${sid}`,
  };
}

export function serializeCheck(v: VerificationSummary, service: ServiceRow): Record<string, unknown> {
  return {
    sid: verificationSid(v.id),
    service_sid: service.id,
    account_sid: service.accountSid,
    to: v.to,
    channel: twilioChannel(v.channel),
    status: v.status,
    valid: v.status === "approved",
    amount: null,
    payee: null,
    sna_attempts_error_codes: [],
    date_created: twilioDate(v.createdAt),
    date_updated: twilioDate(v.updatedAt),
  };
}
