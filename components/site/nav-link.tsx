"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

import styles from "./site.module.css";

/** A header link that marks itself aria-current="page" on its own section. */
export function NavLink({ href, children, label }: { href: string; children: ReactNode; label?: string }) {
  // null only outside a router (the types allow for the Pages Router, which also sets it).
  const pathname = usePathname() ?? "";
  const active = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className={styles.navLink} aria-current={active ? "page" : undefined} aria-label={label}>
      {children}
    </Link>
  );
}
