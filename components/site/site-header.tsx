import Link from "next/link";

import { NavLink } from "./nav-link.tsx";
import styles from "./site.module.css";

const NAV_ITEMS = [
  { href: "/", label: "Home" },
  { href: "/sandbox", label: "Sandbox" },
  { href: "/docs/api", label: "API" },
  { href: "/embed", label: "Embed" },
  { href: "/demo", label: "Demo" },
  { href: "/login", label: "Sign in" },
] as const;

export function SiteHeader() {
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
          </ul>
        </nav>
      </div>
    </header>
  );
}
