/**
 * The site allowed to frame the "main" e2e server's embeddable pages (its EMBED_ALLOWED_ORIGINS), and one
 * that is not. Neither exists: security-headers.spec.ts serves their pages with `page.route`.
 */
export const E2E_EMBEDDER = "http://embedder.e2e.test";
export const E2E_STRANGER = "http://stranger.e2e.test";
