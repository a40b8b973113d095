import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { SiteFooter } from "@/components/site/site-footer.tsx";
import { SiteHeader } from "@/components/site/site-header.tsx";
import { signedInAccount } from "@/server/auth/signed-in-account.ts";
import { currentTextgate } from "@/server/bridge.ts";

import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · textgate", default: "textgate · phone verification by SMS and voice" },
  description:
    "Self-hosted phone verification: textgate sends one-time codes by SMS or voice call through your own carrier and checks them.",
  applicationName: "textgate",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#161a21" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next can put this request's CSP nonce on its inline scripts
  // (server/http/security-headers.ts); a page prerendered at build time would carry no nonce and not run.
  await connection();
  const account = await signedInAccount(currentTextgate().auth.nextAuthOptions);
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader account={account} />
        <main id="main" className="site-main" tabIndex={-1}>
          <div className="container">{children}</div>
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
