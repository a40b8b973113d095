/**
 * The copy-and-paste snippets of /embed (app/embed/page.tsx), one source for the page and for the test that
 * type-checks them against the packed package (tests/package/package.test.ts). Each names the file it is in a
 * host app, so the test lays them out as one small app: `@/auth` in one is `auth.ts` of another.
 */
export interface EmbedSnippet {
  caption: string;
  /** Where it goes in a host app (from its root). */
  file: string;
  code: string;
}

const nextAuth: EmbedSnippet = {
  caption: "next-auth configuration",
  file: "auth.ts",
  code: `// auth.ts: your next-auth, signing in with codes checked on your textgate server
import type { AuthOptions } from "next-auth";
import { createSmsAuthRoutes, SmsProvider } from "textgate/next-auth";

const textgate = { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! };

declare module "next-auth" {
  interface Session {
    /** The signed-in user's number (E.164). */
    phone?: string;
  }
}

export const authOptions: AuthOptions = {
  providers: [SmsProvider({ textgate })],
  session: { strategy: "jwt" },
  // SmsProvider's users have their number as id (the token's subject) unless your authorizeUser says otherwise.
  callbacks: { session: ({ session, token }) => ({ ...session, phone: token.sub }) },
};

// app/api/auth/sms/start/route.ts: export const { POST } = smsRoutes.start; (and resend, config)
export const smsRoutes = createSmsAuthRoutes({ textgate });`,
};

const verifyFlow: EmbedSnippet = {
  caption: "VerifyFlow with next-auth",
  file: "app/sign-in.tsx",
  code: `"use client";

import { nextAuthAdapter, VerifyFlow } from "textgate/react";
import "textgate/styles.css";

export function SignIn() {
  return <VerifyFlow adapter={nextAuthAdapter({ callbackUrl: "/" })} />;
}`,
};

const rest: EmbedSnippet = {
  caption: "VerifyFlow with the REST API",
  file: "app/verify-phone.tsx",
  code: `"use client";

import { restAdapter, VerifyFlow } from "textgate/react";
import "textgate/styles.css";

const adapter = restAdapter({ baseUrl: "/api/verify" });

export function VerifyPhone() {
  return <VerifyFlow adapter={adapter} onVerified={(challenge) => console.log("verified", challenge.to)} />;
}`,
};

const proxy: EmbedSnippet = {
  caption: "The route that adds the API key, for the signed-in user only",
  file: "app/api/verify/[...path]/route.ts",
  code: `// app/api/verify/[...path]/route.ts: the API key stays on your server, and codes go only to the
// signed-in user's own number (per-number and per-IP limits apply too), so this is no open SMS relay.
import { getServerSession } from "next-auth";
import { createVerifyRoutes } from "textgate/next-auth";
import { authOptions } from "@/auth";

export const { POST } = createVerifyRoutes({
  textgate: { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! },
  // The number in your next-auth session (auth.ts above); null: nobody is signed in.
  phoneOf: async () => (await getServerSession(authOptions))?.phone ?? null,
});`,
};

const element: EmbedSnippet = {
  caption: "<textgate-verify> on a page without React",
  file: "public/verify-phone.html",
  code: `<!-- Any page of your site; /api/verify is the route above (createVerifyRoutes). -->
<script type="module" src="/textgate/embed.js"></script>
<!-- embed.js: node_modules/textgate/dist/embed.js, served as a static file (or import "textgate/embed"). -->

<textgate-verify endpoint="/api/verify" country="US"></textgate-verify>

<script type="module">
  const verify = document.querySelector("textgate-verify");
  verify?.addEventListener("textgate:verified", (event) => {
    // Your server can look the verification up by id (it approved it).
    console.log("verified", event.detail.to, event.detail.verificationId);
  });
  verify?.addEventListener("textgate:error", (event) => console.warn(event.detail.code, event.detail.message));
</script>`,
};

const theme: EmbedSnippet = {
  caption: "CSS variables",
  file: "app/theme.css",
  code: `/* Any ancestor of the components (or of <textgate-verify>): */
.checkout {
  --tg-accent: #0f766e;     /* caret, waiting dot */
  --tg-focus: #0f766e;      /* focus ring */
  --tg-text: #111827;
  --tg-muted: #4b5563;
  --tg-surface: #ffffff;    /* inputs */
  --tg-border: #9ca3af;
  --tg-danger: #b91c1c;
  --tg-danger-text: #7f1d1d;
  --tg-success: #166534;
  --tg-radius: 4px;
}`,
};

export const EMBED_SNIPPETS = { nextAuth, verifyFlow, rest, proxy, element, theme } as const;
