/**
 * The server side of `restAdapter` (textgate/react) for a host app: one catch-all route handler that
 * starts, checks and resends verifications on a textgate server with the host's API key, so the key
 * never reaches the browser, and so the route is no open SMS relay:
 *
 * - with `phoneOf`, codes go only to the signed-in user's own number (a request naming another number
 *   gets 403 forbidden; nobody signed in, 401 unauthorized), and only that user's verifications are
 *   checked or resent;
 * - always, per-IP and per-number limits, and only verifications of this route's `purpose`.
 *
 *   // app/api/verify/[...path]/route.ts
 *   export const { POST } = createVerifyRoutes({ textgate, phoneOf });
 */
import { z } from "zod";
import type { TextgateClient, Verification } from "../../lib/client/index.ts";
import { ERRORS } from "../../lib/errors.ts";
import { parsePhone } from "../../lib/phone.ts";
import { clientIpOf, consume, errorJson, guarded, json, limiter, readBody } from "./http.ts";
import { clientOf, type RemoteTextgate } from "./remote.ts";

export interface VerifyRoutesOptions {
  textgate: RemoteTextgate | TextgateClient;
  /**
   * The signed-in user's own number (E.164), or null when nobody is signed in. Set it whenever the
   * numbers to verify are your users' own: then no request can make your app text anyone else.
   */
  phoneOf?: (request: Request) => Promise<string | null>;
  /** What the verifications are for (kept apart from other purposes, such as sign-in); "verify" by default. */
  purpose?: string;
  channel?: "sms" | "voice";
  codeLength?: number;
  brand?: string;
  /** Codes sent to one number per 10 minutes; 5 by default. */
  limitPerNumber?: number;
  /** Codes and resends asked for by one client IP per 10 minutes; 20 by default. */
  limitPerIp?: number;
  /** Proxies in front of the app that append to X-Forwarded-For (see createSmsAuthRoutes); 0 by default. */
  trustedProxies?: number;
}

type Params = { params: Promise<{ path?: string[] }> };

const startSchema = z.strictObject({ to: z.string().min(1).max(64), country: z.string().regex(/^[A-Za-z]{2}$/).optional() });
const checkSchema = z.strictObject({ code: z.string().min(1).max(64) });
const resendSchema = z.strictObject({});

const notFound = () => errorJson("verification_not_found", 404, ERRORS.verification_not_found.message);

export function createVerifyRoutes(options: VerifyRoutesOptions): { POST: (request: Request, context: Params) => Promise<Response> } {
  const client = clientOf(options.textgate);
  const purpose = options.purpose ?? "verify";
  const perNumber = limiter(options.limitPerNumber ?? 5, "tg-verify-number");
  const perIp = limiter(options.limitPerIp ?? 20, "tg-verify-ip");
  const ipOf = (request: Request) => clientIpOf(request, options.trustedProxies ?? 0);

  /** The signed-in user's number, or a refusal; undefined when the route has no `phoneOf`. */
  async function ownerOf(request: Request): Promise<string | undefined> {
    if (!options.phoneOf) return undefined;
    const phone = await options.phoneOf(request);
    if (!phone) throw errorJson("unauthorized", 401, "Sign in first.");
    return phone;
  }

  /** A verification of this route's purpose (and of the signed-in user), or 404. */
  async function own(id: string, phone: string | undefined): Promise<Verification> {
    const verification = await client.verifications.get(id);
    if (verification.purpose !== purpose || (phone !== undefined && verification.to !== phone)) throw notFound();
    return verification;
  }

  return {
    POST: guarded(async (request: Request, context: Params) => {
      const [collection, id, action, ...rest] = (await context.params).path ?? [];
      if (collection !== "verifications" || rest.length) return errorJson("not_found", 404, ERRORS.not_found.message);
      const phone = await ownerOf(request);
      if (id === undefined) {
        const body = await readBody(request, startSchema);
        const to = parsePhone(body.to, body.country?.toUpperCase())?.e164;
        if (!to) return errorJson("invalid_phone_number", 400, ERRORS.invalid_phone_number.message);
        if (phone !== undefined && to !== phone) return errorJson("forbidden", 403, "Codes go only to your own number.");
        const limited = (await consume(perIp, ipOf(request))) ?? (await consume(perNumber, to));
        if (limited) return limited;
        return json(await client.verifications.create({ to, purpose, ...(options.channel ? { channel: options.channel } : {}), ...(options.codeLength ? { codeLength: options.codeLength } : {}), ...(options.brand ? { brand: options.brand } : {}) }));
      }
      if (action === "check") {
        const { code } = await readBody(request, checkSchema);
        await own(id, phone);
        return json(await client.verifications.check(id, code));
      }
      if (action === "resend") {
        await readBody(request, resendSchema);
        const limited = await consume(perIp, ipOf(request));
        if (limited) return limited;
        const verification = await own(id, phone);
        const limitedNumber = await consume(perNumber, verification.to);
        if (limitedNumber) return limitedNumber;
        return json(await client.verifications.resend(id));
      }
      return errorJson("not_found", 404, ERRORS.not_found.message);
    }),
  };
}
