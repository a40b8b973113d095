/**
 * GET /api/owner/webhooks — owner only: every webhook endpoint with its 10 newest deliveries (status,
 * response code, attempts, next retry), for /owner. Errors: 401 signed out; 403 not an owner.
 */
import { currentOwner, handler, json } from "@/server/auth/route-helpers.ts";
import { serializeDelivery, serializeEndpoint } from "@/server/webhooks/views.ts";

const DELIVERIES_SHOWN = 10;

export const GET = handler(async (_request, textgate) => {
  await currentOwner(textgate);
  const { endpoints, dispatcher } = textgate.webhooks;
  const list = await endpoints.list();
  return json({
    endpoints: await Promise.all(
      list.map(async (endpoint) => ({
        ...serializeEndpoint(endpoint),
        deliveries: (await dispatcher.deliveriesOf(endpoint.id, DELIVERIES_SHOWN)).map(serializeDelivery),
      })),
    ),
  });
});
