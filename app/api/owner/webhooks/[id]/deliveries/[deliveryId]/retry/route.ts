/**
 * POST /api/owner/webhooks/{id}/deliveries/{deliveryId}/retry — owner only: sends a webhook delivery
 * again now (one more attempt for a failed one), like the native API's retry. Errors: 401; 403 (not an
 * owner, or cross_site_request); 415;
 * 404 webhook_not_found, webhook_delivery_not_found.
 */
import { TextgateError } from "@/lib/errors.ts";
import { currentOwner, handler, json, requireSameOrigin } from "@/server/auth/route-helpers.ts";
import { serializeDelivery } from "@/server/webhooks/views.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  await currentOwner(textgate);
  // …/webhooks/{id}/deliveries/{deliveryId}/retry
  const segments = new URL(request.url).pathname.split("/");
  const endpointId = segments.at(-4) ?? "";
  const deliveryId = segments.at(-2) ?? "";
  if (!ID.test(endpointId)) throw new TextgateError("webhook_not_found");
  if (!ID.test(deliveryId)) throw new TextgateError("webhook_delivery_not_found");
  await textgate.webhooks.endpoints.get(endpointId.toLowerCase());
  return json(serializeDelivery(await textgate.webhooks.dispatcher.retry(endpointId.toLowerCase(), deliveryId.toLowerCase())), 202);
});
