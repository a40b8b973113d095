import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
// The components' styles, themed below through their --tg-* custom properties.
import "textgate/styles.css";
import "./host.css";

export const metadata: Metadata = { title: "next-host: textgate in another app" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header>
          <nav aria-label="Main">
            <Link href="/">Home</Link> <Link href="/signup">Sign up</Link> <Link href="/login">Sign in</Link> <Link href="/account">Account</Link>{" "}
            <Link href="/chat">Chat</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
