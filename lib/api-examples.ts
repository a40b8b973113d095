/**
 * One example of the API reference: a request as a reader would send it and the server's real answer,
 * recorded by tests/docs/api-examples.test.ts (server/http/openapi-examples.ts puts them in the OpenAPI
 * document as `x-examples`; components/docs renders them).
 */
export interface RecordedExample {
  operationId: string;
  title: string;
  request: {
    method: string;
    /** With the query, as sent. */
    path: string;
    /**
     * bearer: the API key as a bearer token; basic: HTTP Basic with this user name and the API key as
     * password; session: the cookies the earlier sign-in set (curl's cookie jar).
     */
    auth: "bearer" | "none" | "session" | { basic: string };
    /** Sent with the site's own Origin, as a browser sends it. */
    sameOrigin?: boolean;
    headers?: Record<string, string>;
    contentType?: string;
    body?: unknown;
  };
  response: {
    status: number;
    contentType: string | null;
    headers?: Record<string, string>;
    body: unknown;
    /** Only some top-level fields are shown. */
    excerpt?: boolean;
  };
}
