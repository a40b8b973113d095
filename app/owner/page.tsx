import type { Metadata } from "next";
import Link from "next/link";

import { OwnerConsole } from "@/components/owner/owner-console.tsx";

export const metadata: Metadata = {
  title: "Owner console",
  description: "Socket connections waiting for an owner's decision, the open sockets, and recent verifications of every API.",
  robots: { index: false },
};

export default function OwnerPage() {
  return (
    <>
      <h1>Owner console</h1>
      <p className="page-intro">
        Connections to sockets with the owner-alert unit wait here (and by SMS: reply <code>ACCEPT ref</code> or{" "}
        <code>DENY ref</code>) until an owner decides. Only numbers listed in <code>OWNER_PHONES</code> may use this page. <Link href="/owner/insights">Insights</Link>: conversion, sends and cost by country, carrier and channel.
      </p>
      <OwnerConsole />
    </>
  );
}
