import type { Metadata } from "next";
import Link from "next/link";

import styles from "@/components/embed/embed.module.css";
import { LiveVerifyFlow } from "@/components/embed/live-verify-flow.tsx";
import { Snippet } from "@/components/embed/snippet.tsx";
import { TokenInputDemo } from "@/components/embed/token-input-demo.tsx";
import { Card } from "@/components/ui/card.tsx";
import { ReplyPrompt, type ReplyStatus } from "@/components/verification/reply-prompt.tsx";

export const metadata: Metadata = {
  title: "Embed textgate",
  description: "Put textgate's phone sign-in and code entry components into your own pages, with copy-paste snippets.",
};

const NEXT_AUTH_SNIPPET = `// auth.ts: your next-auth, signing in with codes checked on your textgate server
import type { AuthOptions } from "next-auth";
import { createSmsAuthRoutes, SmsProvider } from "textgate/next-auth";

const textgate = { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! };

export const authOptions: AuthOptions = { providers: [SmsProvider({ textgate })], session: { strategy: "jwt" } };

// app/api/auth/sms/start/route.ts: export const { POST } = smsRoutes.start; (and resend, config)
export const smsRoutes = createSmsAuthRoutes({ textgate });`;

const VERIFY_FLOW_SNIPPET = `"use client";

import { nextAuthAdapter, VerifyFlow } from "textgate/react";
import "textgate/styles.css";

export function SignIn() {
  return <VerifyFlow adapter={nextAuthAdapter({ callbackUrl: "/" })} />;
}`;

const REST_SNIPPET = `"use client";

import { restAdapter, VerifyFlow } from "textgate/react";
import "textgate/styles.css";

const adapter = restAdapter({ baseUrl: "/api/verify" });

export function VerifyPhone() {
  return <VerifyFlow adapter={adapter} onVerified={(challenge) => console.log("verified", challenge.to)} />;
}`;

const PROXY_SNIPPET = `// app/api/verify/[...path]/route.ts: the API key stays on your server, and codes go only to the
// signed-in user's own number (per-number and per-IP limits apply too), so this is no open SMS relay.
import { getServerSession } from "next-auth";
import { createVerifyRoutes } from "textgate/next-auth";
import { authOptions } from "@/auth";

export const { POST } = createVerifyRoutes({
  textgate: { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! },
  // Your session's number for the user (set in your next-auth session callback); null: not signed in.
  phoneOf: async () => (await getServerSession(authOptions))?.user?.phone ?? null,
});`;

const THEME_SNIPPET = `/* Any ancestor of the components: */
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
}`;

const REPLY_STATES: readonly ReplyStatus[] = ["waiting", "confirmed", "expired", "denied"];

export default function EmbedPage() {
  return (
    <div className={styles.page}>
      <div>
        <h1>Embed textgate</h1>
        <p className="page-intro">
          textgate&apos;s sign-in is a handful of React components you can put into your own pages: a phone number
          input, a code input and the flow that joins them. They bring no CSS framework and load no fonts; colours come
          from CSS variables you can set. Everything on this page is a plain page of this server using them.
        </p>
      </div>

      <section className={styles.section} aria-labelledby="live-flow">
        <h2 id="live-flow">Live: VerifyFlow with next-auth</h2>
        <p>
          This is the real flow against this server: it sends a code, checks it through the next-auth SMS provider and
          signs you in. It is the same component as on <Link href="/login">the sign-in page</Link>.
        </p>
        <Card>
          <LiveVerifyFlow />
        </Card>
      </section>

      <section className={styles.section} aria-labelledby="token-demo">
        <h2 id="token-demo">TokenInput, both modes</h2>
        <p>
          One box per character, or one field. Paste a whole code anywhere, and it fills in and submits itself; the
          arrow keys and Backspace move between boxes. These two talk to no server.
        </p>
        <div className={styles.demos}>
          <Card>
            <h3>Boxes, numeric</h3>
            <TokenInputDemo mode="boxes" />
          </Card>
          <Card>
            <h3>Single field, alphanumeric</h3>
            <TokenInputDemo mode="single" alphanumeric />
          </Card>
        </div>
      </section>

      <section className={styles.section} aria-labelledby="reply-preview">
        <h2 id="reply-preview">
          ReplyPrompt: visual preview <span className={styles.previewLabel}>not live</span>
        </h2>
        <p>
          For flows where the person answers the text instead of typing a code. These are static previews of its four
          states; nothing here is waiting for a real reply.
        </p>
        <div className={styles.demos}>
          {REPLY_STATES.map((status) => (
            <div key={status}>
              <p className={styles.stateName}>status=&quot;{status}&quot;</p>
              <ReplyPrompt code="4821" status={status} />
            </div>
          ))}
        </div>
      </section>

      <section className={styles.section} aria-labelledby="snippets">
        <h2 id="snippets">Copy and paste</h2>
        <h3>1. The next-auth provider</h3>
        <p>
          Install the package (<code>npm pack</code> here, then <code>npm install textgate-0.1.0.tgz</code> in your app)
          and add its SMS provider to your next-auth configuration. Sign-in is by phone number and code, no password;
          codes are sent and checked by this server, with the API key kept on yours, and the routes send codes only
          within per-number and per-IP limits.
        </p>
        <Snippet caption="next-auth configuration" code={NEXT_AUTH_SNIPPET} />

        <h3>2. The sign-in flow</h3>
        <p>
          The components come from <code>textgate/react</code>, their styles from <code>textgate/styles.css</code>.{" "}
          <code>VerifyFlow</code> goes from phone to code to done and, with <code>nextAuthAdapter</code>, signs in and
          returns to <code>callbackUrl</code>.
        </p>
        <Snippet caption="VerifyFlow with next-auth" code={VERIFY_FLOW_SNIPPET} />

        <h3>3. Without next-auth: the REST API</h3>
        <p>
          <code>restAdapter</code> drives the same flow through textgate&apos;s REST API. It calls your own backend at{" "}
          <code>baseUrl</code>, never textgate directly: <code>createVerifyRoutes</code> of{" "}
          <code>textgate/next-auth</code> is that backend, adding the API key and texting only the signed-in
          user&apos;s own number.
        </p>
        <Snippet caption="VerifyFlow with the REST API" code={REST_SNIPPET} />
        <Snippet caption="The route that adds the API key, for the signed-in user only" code={PROXY_SNIPPET} />

        <h3>4. Theming</h3>
        <p>
          The components read <code>--tg-*</code> variables first, then textgate&apos;s own theme variables, then built-in
          defaults. They inherit your page&apos;s font.
        </p>
        <Snippet caption="CSS variables" code={THEME_SNIPPET} />
      </section>
    </div>
  );
}
