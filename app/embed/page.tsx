import type { Metadata } from "next";
import Link from "next/link";

import styles from "@/components/embed/embed.module.css";
import { LiveVerifyFlow } from "@/components/embed/live-verify-flow.tsx";
import { Snippet } from "@/components/embed/snippet.tsx";
import { EMBED_SNIPPETS } from "@/components/embed/snippets.ts";
import { TokenInputDemo } from "@/components/embed/token-input-demo.tsx";
import { Card } from "@/components/ui/card.tsx";
import { ReplyPrompt, type ReplyStatus } from "@/components/verification/reply-prompt.tsx";

export const metadata: Metadata = {
  title: "Embed textgate",
  description: "Put textgate's phone sign-in and code entry components into your own pages, with copy-paste snippets.",
};

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
        <Snippet snippet={EMBED_SNIPPETS.nextAuth} />

        <h3>2. The sign-in flow</h3>
        <p>
          The components come from <code>textgate/react</code>, their styles from <code>textgate/styles.css</code>.{" "}
          <code>VerifyFlow</code> goes from phone to code to done and, with <code>nextAuthAdapter</code>, signs in and
          returns to <code>callbackUrl</code>.
        </p>
        <Snippet snippet={EMBED_SNIPPETS.verifyFlow} />

        <h3>3. Without next-auth: the REST API</h3>
        <p>
          <code>restAdapter</code> drives the same flow through textgate&apos;s REST API. It calls your own backend at{" "}
          <code>baseUrl</code>, never textgate directly: <code>createVerifyRoutes</code> of{" "}
          <code>textgate/next-auth</code> is that backend, adding the API key and texting only the signed-in
          user&apos;s own number.
        </p>
        <Snippet snippet={EMBED_SNIPPETS.rest} />
        <Snippet snippet={EMBED_SNIPPETS.proxy} />

        <h3>4. Without React: the &lt;textgate-verify&gt; element</h3>
        <p>
          <code>textgate/embed</code> is one self-contained script that registers <code>&lt;textgate-verify&gt;</code>:
          the same phone and code steps for any page, React or not. It posts to the <code>endpoint</code> you name,
          your <code>createVerifyRoutes</code> route above, and tells the page with <code>textgate:verified</code>{" "}
          (the verification&apos;s id and number) and <code>textgate:error</code> events. It draws in its own shadow
          root, so your page&apos;s CSS cannot disturb it, and the <code>--tg-*</code> variables below theme it too.
        </p>
        <Snippet snippet={EMBED_SNIPPETS.element} />

        <h3>5. Theming</h3>
        <p>
          The components read <code>--tg-*</code> variables first, then textgate&apos;s own theme variables, then built-in
          defaults. They inherit your page&apos;s font.
        </p>
        <Snippet snippet={EMBED_SNIPPETS.theme} />
      </section>
    </div>
  );
}
