import type { NextConfig } from "next";

/**
 * Next.js serves the pages only; the API (/api/v1, /api/sandbox, WebSockets) lives in the custom server
 * (server.ts). Nothing here reaches the network: no remote fonts, images or scripts, so `next build` works offline.
 */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The dev-only route indicator sits over the page and shows up in accessibility scans and e2e screenshots.
  devIndicators: false,
} satisfies NextConfig;

export default nextConfig;
