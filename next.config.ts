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
  // `npm test` type-checks the whole repository with tsc just before it builds (scripts/test.sh):
  // Next's own pass over the same files would only repeat it.
  typescript: { ignoreBuildErrors: process.env.TEXTGATE_TYPECHECKED === "1" },
  experimental: {
    // CI builds once in a fresh clone, so writing Turbopack's cache for a next build is pure cost there.
    turbopackFileSystemCacheForBuild: process.env.CI !== "true",
  },
} satisfies NextConfig;

export default nextConfig;
