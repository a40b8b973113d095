import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A stock Next.js configuration but for one line. In this repository the host's next, react and next-auth
 * resolve from the repository's node_modules two levels up (only textgate is in ./node_modules, unpacked
 * from the tarball), and Turbopack reads no file outside its root: the root is the repository. In your own
 * app, with its own node_modules, drop `turbopack` and `outputFileTracingRoot`.
 */
const repository = path.resolve(here, "../..");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: repository },
  outputFileTracingRoot: repository,
};

export default nextConfig;
