import Link from "next/link";

import { maskPhone } from "@/lib/phone.ts";
import type { SignedInAccount } from "@/server/auth/signed-in-account.ts";

import { NavLink } from "./nav-link.tsx";
import { SignOutButton } from "./sign-out-button.tsx";
import styles from "./site.module.css";

const NAV_ITEMS = [
  { href: "/", label: "Home" },
  { href: "/sandbox", label: "Sandbox" },
  { href: "/docs/api", label: "API" },
  { href: "/embed", label: "Embed" },
  { href: "/demo", label: "Demo" },
] as const;

/**
 * The site header. Signed in, "Sign in" becomes the account (name or masked number, linking to /account)
 * and, where the page runs React (`signOut`), a "Sign out" button.
 */
export function SiteHeader({ account, signOut = true }: { account?: SignedInAccount | null; signOut?: boolean }) {
  return (
    <header className={styles.header}>
      <div className={`container ${styles.headerInner}`}>
        <Link href="/" className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            tg
          </span>
          textgate
        </Link>
        <nav aria-label="Main">
          <ul className={styles.navList}>
            {NAV_ITEMS.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href}>{item.label}</NavLink>
              </li>
            ))}
            {account ? (
              <>
                <li>
                  <NavLink href="/account" label={`Your account: ${accountLabel(account)}`}>
                    {accountLabel(account)}
                  </NavLink>
                </li>
                {signOut ? (
                  <li>
                    <SignOutButton />
                  </li>
                ) : null}
              </>
            ) : (
              <li>
                <NavLink href="/login">Sign in</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** "Ada", or the masked number when the account has no name. */
function accountLabel(account: SignedInAccount): string {
  return account.name ?? (account.phone ? maskPhone(account.phone) : "Account");
}
