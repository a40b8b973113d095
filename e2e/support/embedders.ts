/**
 * The site allowed to frame the "main" e2e server's embeddable pages (its EMBED_ALLOWED_ORIGINS), and one
 * that is not: security-headers.spec.ts serves each from a small HTTP server of its own on these ports. They
 * are real loopback servers because Chromium's Local Network Access refuses to let a page of any other
 * address space (a `page.route` answer counts as one) frame a loopback address, which would hide what
 * frame-ancestors decides.
 */
export const embedderPort = (serverPort: number): number => serverPort + 50;
export const strangerPort = (serverPort: number): number => serverPort + 51;
export const e2eEmbedder = (serverPort: number): string => `http://127.0.0.1:${embedderPort(serverPort)}`;
export const e2eStranger = (serverPort: number): string => `http://127.0.0.1:${strangerPort(serverPort)}`;
/** The host page of embed-element.spec.ts: plain HTML with textgate/embed and a createVerifyRoutes endpoint. */
export const embedHostPort = (serverPort: number): number => serverPort + 52;
