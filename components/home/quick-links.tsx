import Link from "next/link";

import { Card } from "@/components/ui/card.tsx";

import styles from "./home.module.css";

const LINKS = [
  {
    href: "/sandbox",
    title: "Sandbox handset",
    text: "See the texts and calls the sandbox carrier delivers, copy codes and reply, without a phone or a carrier account.",
  },
  {
    href: "/docs/api",
    title: "API reference",
    text: "Every endpoint of /api/v1 with its fields, limits, errors and a curl example, generated from the OpenAPI document.",
  },
] as const;

export function QuickLinks() {
  return (
    <ul className={styles.links}>
      {LINKS.map((link) => (
        <li key={link.href}>
          <Card className={styles.linkCard}>
            <h3>
              <Link href={link.href}>{link.title}</Link>
            </h3>
            <p>{link.text}</p>
          </Card>
        </li>
      ))}
    </ul>
  );
}
