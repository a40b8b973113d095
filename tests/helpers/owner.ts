/** What GET /api/owner/requests answers, and the owner's HTTP decision, for the owner and several-node tests. */
export interface OwnerListing {
  requests: { reference: string; path: string; who: string; node: string }[];
  sockets: { count: number; pending: number; nodes: { node: string; sockets: number; pending: number; local: boolean }[] };
}

type Call = (pathname: string, init?: RequestInit) => Promise<Response>;

/** POST /api/owner/requests/{reference}/decision as the signed-in owner whose `call` this is. */
export function decideOverHttp(call: Call, reference: string, decision: string): Promise<Response> {
  return call(`/api/owner/requests/${reference}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ decision }) });
}
