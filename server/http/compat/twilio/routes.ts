/**
 * Twilio Verify v2, mounted at /compat/twilio: point twilio-node at it with
 * `client.verify.baseUrl = "https://textgate.example/compat/twilio"`. Authentication is HTTP Basic
 * `AccountSid:AuthToken` with any `AC` + 32 hex as AccountSid and a textgate API key as AuthToken.
 *
 * Services live in the `verify_services` table (FriendlyName, CodeLength, CustomCodeEnabled). A
 * verification's purpose is `twilio:<ServiceSid>`, so each Service has its own pending verification
 * per number, as on Twilio. Verification sids are derived, not stored: `VE` + the UUID's 32 hex digits.
 * Semantics: a second start to a number with one pending resends the same code; 5 check attempts
 * (then 60202); the engine's send limit (SEND_LIMIT_PER_NUMBER, default 5 per 10 minutes) answers
 * 60203; after approval, expiry or the last attempt a check is 404 20404.
 */
import crypto from "node:crypto";
import { z } from "zod";
import type { Channel } from "../../../verification/types.ts";
import type { ApiRoute, Reply, RequestContext } from "../../types.ts";
import { compatEngine, guard, hexToUuid, identify, parseBasic, readForm, textgateCode, VendorReply } from "../shared.ts";
import { toTwilio, twilioError, twilioInvalid, twilioNotFound, twilioUnauthorized } from "./errors.ts";
import { type ServiceRow, serializeCheck, serializeService, serializeVerification, verificationSid } from "./serialize.ts";

export const TWILIO_PREFIX = "/compat/twilio";

/** Twilio: "max 5 check attempts" (60202). */
const MAX_CHECK_ATTEMPTS = 5;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^VA[0-9a-fA-F]{32}$/;
/** Twilio's Channel values that textgate does not deliver (answered 60223, channel disabled). */
const OTHER_TWILIO_CHANNELS = new Set(["email", "whatsapp", "sna", "auto", "rcs"]);

interface Caller {
  accountSid: string;
  apiKeyId: string;
}

async function authenticate(ctx: RequestContext): Promise<Caller> {
  const credentials = parseBasic(ctx.req.headers.authorization);
  if (!credentials || !ACCOUNT_SID.test(credentials.username)) throw new VendorReply(twilioUnauthorized());
  const identity = await identify(ctx, credentials.password);
  if (!identity) throw new VendorReply(twilioUnauthorized());
  return { accountSid: credentials.username, apiKeyId: identity.id };
}

const base = (ctx: RequestContext): string => `${ctx.runtime.config.PUBLIC_URL.replace(/\/$/, "")}${TWILIO_PREFIX}`;
const purposeOf = (serviceSid: string): string => `twilio:${serviceSid}`;

async function loadService(ctx: RequestContext, resource: string): Promise<ServiceRow> {
  const sid = ctx.params.serviceSid ?? "";
  const row = SERVICE_SID.test(sid) ? await ctx.runtime.prisma.verifyService.findUnique({ where: { id: sid } }) : null;
  if (!row) throw new VendorReply(twilioNotFound(resource));
  return row;
}

function handle(resource: (ctx: RequestContext) => string, handler: (ctx: RequestContext, caller: Caller) => Promise<Reply>): ApiRoute["handler"] {
  return guard(
    async (ctx) => handler(ctx, await authenticate(ctx)),
    (error, ctx) => toTwilio(error, resource(ctx)),
  );
}

// ---- parameters ---------------------------------------------------------------------------------

function bool(form: Map<string, string>, name: string): boolean | undefined {
  const value = form.get(name);
  if (value === undefined) return undefined;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  throw new VendorReply(twilioInvalid(name, "must be true or false"));
}

function serviceFields(form: Map<string, string>, creating: boolean): { friendlyName?: string; codeLength?: number; customCodeEnabled?: boolean } {
  const friendlyName = form.get("FriendlyName");
  if (creating && friendlyName === undefined) throw new VendorReply(twilioError(400, 20001, "Missing required parameter FriendlyName in the post body"));
  if (friendlyName !== undefined && (friendlyName.trim().length === 0 || friendlyName.length > 32)) {
    throw new VendorReply(twilioInvalid("FriendlyName", "1 to 32 characters"));
  }
  const rawLength = form.get("CodeLength");
  let codeLength: number | undefined;
  if (rawLength !== undefined) {
    codeLength = /^[0-9]{1,2}$/.test(rawLength) ? Number(rawLength) : Number.NaN;
    if (!(codeLength >= 4 && codeLength <= 10)) throw new VendorReply(twilioInvalid("CodeLength", "must be an integer from 4 to 10"));
  }
  return { friendlyName, codeLength, customCodeEnabled: bool(form, "CustomCodeEnabled") };
}

function channelParam(raw: string | undefined): Channel {
  if (raw === undefined) throw new VendorReply(twilioError(400, 20001, "Missing required parameter Channel in the post body"));
  const value = raw.toLowerCase();
  if (value === "sms") return "sms";
  if (value === "call") return "voice";
  if (OTHER_TWILIO_CHANNELS.has(value)) {
    throw new VendorReply(twilioError(400, 60223, `Delivery channel disabled: ${value.toUpperCase()}. This server delivers sms and call only.`));
  }
  throw new VendorReply(twilioInvalid("Channel", "must be sms or call"));
}

// ---- Services -----------------------------------------------------------------------------------

const servicesResource = () => "/Services";
const serviceResource = (ctx: RequestContext) => `/Services/${ctx.params.serviceSid ?? ""}`;

async function createService(ctx: RequestContext, caller: Caller): Promise<Reply> {
  const fields = serviceFields(await readForm(ctx), true);
  const now = new Date();
  const row = await ctx.runtime.prisma.verifyService.create({
    data: {
      id: `VA${crypto.randomBytes(16).toString("hex")}`,
      friendlyName: fields.friendlyName as string,
      codeLength: fields.codeLength ?? 6,
      customCodeEnabled: fields.customCodeEnabled ?? false,
      accountSid: caller.accountSid,
      apiKeyId: caller.apiKeyId,
      createdAt: now,
      updatedAt: now,
    },
  });
  return { status: 201, body: serializeService(row, base(ctx)) };
}

async function listServices(ctx: RequestContext): Promise<Reply> {
  const rows = await ctx.runtime.prisma.verifyService.findMany({ orderBy: { createdAt: "asc" }, take: 1000 });
  const url = `${base(ctx)}/v2/Services?PageSize=1000&Page=0`;
  return {
    status: 200,
    body: {
      services: rows.map((r) => serializeService(r, base(ctx))),
      meta: { page: 0, page_size: 1000, first_page_url: url, previous_page_url: null, url, next_page_url: null, key: "services" },
    },
  };
}

async function fetchService(ctx: RequestContext): Promise<Reply> {
  return { status: 200, body: serializeService(await loadService(ctx, serviceResource(ctx)), base(ctx)) };
}

async function updateService(ctx: RequestContext): Promise<Reply> {
  const service = await loadService(ctx, serviceResource(ctx));
  const fields = serviceFields(await readForm(ctx), false);
  const row = await ctx.runtime.prisma.verifyService.update({
    where: { id: service.id },
    data: {
      ...(fields.friendlyName !== undefined ? { friendlyName: fields.friendlyName } : {}),
      ...(fields.codeLength !== undefined ? { codeLength: fields.codeLength } : {}),
      ...(fields.customCodeEnabled !== undefined ? { customCodeEnabled: fields.customCodeEnabled } : {}),
      updatedAt: new Date(),
    },
  });
  return { status: 200, body: serializeService(row, base(ctx)) };
}

async function deleteService(ctx: RequestContext): Promise<Reply> {
  const service = await loadService(ctx, serviceResource(ctx));
  await ctx.runtime.prisma.verifyService.delete({ where: { id: service.id } });
  return { status: 204, json: "" };
}

// ---- Verifications ------------------------------------------------------------------------------

const verificationsResource = (ctx: RequestContext) => `/Services/${ctx.params.serviceSid ?? ""}/Verifications`;
const verificationResource = (ctx: RequestContext) => `/Services/${ctx.params.serviceSid ?? ""}/Verifications/${ctx.params.sid ?? ""}`;
const checkResource = (ctx: RequestContext) => `/Services/${ctx.params.serviceSid ?? ""}/VerificationCheck`;

async function createVerification(ctx: RequestContext, caller: Caller): Promise<Reply> {
  const service = await loadService(ctx, verificationsResource(ctx));
  const form = await readForm(ctx);
  const to = form.get("To");
  if (to === undefined) throw new VendorReply(twilioError(400, 20001, "Missing required parameter To in the post body"));
  const channel = channelParam(form.get("Channel"));
  const customCode = form.get("CustomCode");
  if (customCode !== undefined) {
    if (!service.customCodeEnabled) throw new VendorReply(twilioInvalid("CustomCode", "custom codes are not enabled for this Service (CustomCodeEnabled)"));
    if (!/^[A-Za-z0-9]{4,10}$/.test(customCode)) throw new VendorReply(twilioInvalid("CustomCode", "4 to 10 letters or digits"));
  }
  const locale = form.get("Locale");
  const friendly = form.get("CustomFriendlyName");
  if (friendly !== undefined && (friendly.length === 0 || friendly.length > 30)) throw new VendorReply(twilioInvalid("CustomFriendlyName", "1 to 30 characters"));
  const engine = compatEngine(ctx.runtime);
  const result = await engine.create({
    to,
    channel,
    ...(customCode !== undefined ? { code: customCode } : { codeLength: service.codeLength }),
    ...(locale !== undefined ? { locale } : {}),
    brand: friendly ?? service.friendlyName,
    validFor: ctx.runtime.config.COMPAT_TWILIO_VALID_FOR_SECONDS,
    maxAttempts: MAX_CHECK_ATTEMPTS,
    purpose: purposeOf(service.id),
    onPending: "resend",
    surface: "twilio",
    apiKeyId: caller.apiKeyId,
  });
  return { status: 201, body: serializeVerification(result.verification, service, base(ctx)) };
}

/** A verification of this Service by its VE sid, or 20404. */
async function ownVerification(ctx: RequestContext, service: ServiceRow, sid: string | undefined, resource: string) {
  const id = sid && sid.startsWith("VE") ? hexToUuid(sid.slice(2)) : null;
  if (!id) throw new VendorReply(twilioNotFound(resource));
  const view = await compatEngine(ctx.runtime).get(id).catch((error: unknown) => {
    if (textgateCode(error) === "verification_not_found") throw new VendorReply(twilioNotFound(resource));
    throw error;
  });
  if (view.purpose !== purposeOf(service.id)) throw new VendorReply(twilioNotFound(resource));
  return view;
}

/** Twilio deletes a verification once approved, expired or out of attempts: fetching it is then 404. */
const GONE = new Set(["approved", "expired", "max_attempts_reached", "failed"]);

async function fetchVerification(ctx: RequestContext): Promise<Reply> {
  const resource = verificationResource(ctx);
  const service = await loadService(ctx, resource);
  const view = await ownVerification(ctx, service, ctx.params.sid, resource);
  if (GONE.has(view.status)) return twilioNotFound(resource);
  return { status: 200, body: serializeVerification(view, service, base(ctx)) };
}

async function updateVerification(ctx: RequestContext): Promise<Reply> {
  const resource = verificationResource(ctx);
  const service = await loadService(ctx, resource);
  const status = (await readForm(ctx)).get("Status");
  if (status !== "canceled" && status !== "approved") throw new VendorReply(twilioInvalid("Status", "must be canceled or approved"));
  const view = await ownVerification(ctx, service, ctx.params.sid, resource);
  const engine = compatEngine(ctx.runtime);
  // Twilio cancels at any time: no 30-second rule here.
  const updated = status === "canceled" ? await engine.cancel(view.id, { enforceMinimumAge: false }) : await engine.approve(view.id);
  return { status: 200, body: serializeVerification(updated, service, base(ctx)) };
}

async function checkVerification(ctx: RequestContext): Promise<Reply> {
  const resource = checkResource(ctx);
  const service = await loadService(ctx, resource);
  const form = await readForm(ctx);
  const code = form.get("Code");
  if (code === undefined) throw new VendorReply(twilioError(400, 20001, "Missing required parameter Code in the post body"));
  if (code.length < 4 || code.length > 10) throw new VendorReply(twilioInvalid("Code", "4 to 10 characters"));
  const sid = form.get("VerificationSid");
  const to = form.get("To");
  if (sid === undefined && to === undefined) throw new VendorReply(twilioError(400, 60200, "Invalid parameter: either To or VerificationSid is required"));
  const engine = compatEngine(ctx.runtime);
  const purpose = purposeOf(service.id);
  let ref: { id: string } | { to: string; purpose: string };
  if (sid !== undefined) ref = { id: (await ownVerification(ctx, service, sid, resource)).id };
  else ref = { to: to as string, purpose };
  try {
    const result = await engine.check(ref, code);
    return { status: 200, body: serializeCheck(result.verification, service) };
  } catch (error) {
    const reason = textgateCode(error);
    if (reason === "invalid_request") {
      // A code of the wrong shape can never be right: Twilio answers it as a wrong code (pending).
      const view = "id" in ref ? await engine.get(ref.id) : await engine.findPending(ref.to, { purpose });
      if (view && view.status === "pending") return { status: 200, body: serializeCheck(view, service) };
      return twilioNotFound(resource);
    }
    if (reason === "verification_not_found" && (await engine.isOutOfAttempts(ref))) {
      return twilioError(429, 60202, "Max check attempts reached");
    }
    throw error;
  }
}

const P = `${TWILIO_PREFIX}/v2/Services`;

export const twilioRoutes: ApiRoute[] = [
  { method: "POST", path: P, auth: false, handler: handle(servicesResource, createService) },
  { method: "GET", path: P, auth: false, handler: handle(servicesResource, (ctx) => listServices(ctx)) },
  { method: "GET", path: `${P}/:serviceSid`, auth: false, handler: handle(serviceResource, (ctx) => fetchService(ctx)) },
  { method: "POST", path: `${P}/:serviceSid`, auth: false, handler: handle(serviceResource, (ctx) => updateService(ctx)) },
  { method: "DELETE", path: `${P}/:serviceSid`, auth: false, handler: handle(serviceResource, (ctx) => deleteService(ctx)) },
  { method: "POST", path: `${P}/:serviceSid/Verifications`, auth: false, handler: handle(verificationsResource, createVerification) },
  { method: "GET", path: `${P}/:serviceSid/Verifications/:sid`, auth: false, handler: handle(verificationResource, (ctx) => fetchVerification(ctx)) },
  { method: "POST", path: `${P}/:serviceSid/Verifications/:sid`, auth: false, handler: handle(verificationResource, (ctx) => updateVerification(ctx)) },
  { method: "POST", path: `${P}/:serviceSid/VerificationCheck`, auth: false, handler: handle(checkResource, (ctx) => checkVerification(ctx)) },
];

export { verificationSid };
