import type { Metadata } from "next";

import { AuthSessionProvider } from "@/components/auth/session-provider.tsx";
import { SocketDemo } from "@/components/sockets/socket-demo.tsx";
import { UnitsOverview } from "@/components/sockets/units-overview.tsx";

export const metadata: Metadata = {
  title: "Socket demo",
  description: "SMS-gated WebSockets: Send Token, Confirm Reply and Reply, with the sandbox handset.",
  robots: { index: false },
};

export default function DemoPage() {
  return (
    <>
      <h1>Socket demo</h1>
      <UnitsOverview />
      <AuthSessionProvider>
        <SocketDemo />
      </AuthSessionProvider>
    </>
  );
}
