/**
 * textgate's own /api/auth/sms/{start,resend,config}: `textgate/next-auth`'s entry (server/kit/next-auth.ts)
 * in its in-process mode, on this process's Textgate, the same entry a host uses. The client's address
 * is the header server.ts sets from the connection, which no client can send (client-ip.ts).
 */
import { currentTextgate } from "../bridge.ts";
import { createSmsAuthRoutes } from "../kit/next-auth.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";

export const signInRoutes = createSmsAuthRoutes({
  textgate: currentTextgate,
  clientIp: (request) => request.headers.get(CLIENT_IP_HEADER) ?? "unknown",
});
