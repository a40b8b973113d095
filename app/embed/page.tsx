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

const NEXT_AUTH_SNIPPET = `// app/api/auth/[...nextauth]/route.ts
import NextAuth from "next-auth";
import { SmsProvider } from "textgate/auth";

const handler = NextAuth({
  providers: [SmsProvider({ channel: "sms", codeLength: 6 })],
});

export { handler as GET, handler as POST };`;

const VERIFY_FLOW_SNIPPET = `"use client";

import { nextAuthAdapter } from "@/components/verification/adapters";
import { VerifyFlow } from "@/components/verification/verify-flow";

export function SignIn() {
  return <VerifyFlow adapter={nextAuthAdapter({ callbackUrl: "/" })} />;
}`;

const REST_SNIPPET = `"use client";

import { restAdapter } from "@/components/verification/adapters";
import { VerifyFlow } from "@/components/verification/verify-flow";

const adapter = restAdapter({ baseUrl: "/api/textgate" });

export function VerifyPhone() {
  return <VerifyFlow adapter={adapter} onVerified={(challenge) => console.log("verified", challenge.to)} />;
}`;

const PROXY_SNIPPET = `// app/api/textgate/[...path]/route.ts: your backend adds the API key; the browser never sees it.
const ALLOWED = /^verifications(\\/[A-Za-z0-9_-]+\\/(check|resend))?$/;

export async function POST(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const path = (await params).path.join("/");
  if (!ALLOWED.test(path)) return new Response(null, { status: 404 });
  // Check here that the number belongs to the signed-in user, if your site needs that.
  return fetch(\`\${process.env.TEXTGATE_URL}/api/v1/\${path}\`, {
    method: "POST",
    headers: {
      Authorization: \`Bearer \${process.env.TEXTGATE_KEY}\`,
      "Content-Type": "application/json",
    },
    body: await request.text(),
  });
}`;

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
          Add the SMS provider to your next-auth configuration. Sign-in is by phone number and code, no password; the
          first verified sign-in of a new number creates the user.
        </p>
        <Snippet caption="next-auth configuration" code={NEXT_AUTH_SNIPPET} />

        <h3>2. The sign-in flow</h3>
        <p>
          The components live in <code>components/verification/</code> of this repository (with{" "}
          <code>lib/auth/contract.ts</code>); copy them into your app. <code>VerifyFlow</code> goes from phone to code to
          done and, with <code>nextAuthAdapter</code>, signs in and returns to <code>callbackUrl</code>.
        </p>
        <Snippet caption="VerifyFlow with next-auth" code={VERIFY_FLOW_SNIPPET} />

        <h3>3. Without next-auth: the REST API</h3>
        <p>
          <code>restAdapter</code> drives the same flow through textgate&apos;s REST API. It calls your own backend at{" "}
          <code>baseUrl</code>, never textgate directly: <strong>your backend must add the API key</strong> and forward
          only the verification calls.
        </p>
        <Snippet caption="VerifyFlow with the REST API" code={REST_SNIPPET} />
        <Snippet caption="A proxy route that adds the API key" code={PROXY_SNIPPET} />

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
