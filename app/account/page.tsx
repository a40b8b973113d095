import type { Metadata } from "next";

import { AccountView } from "@/components/auth/account-view.tsx";
import { AuthSessionProvider } from "@/components/auth/session-provider.tsx";

export const metadata: Metadata = {
  title: "Your account",
  description: "Your verified phone number, changing it, and signing out.",
  robots: { index: false },
};

export default function AccountPage() {
  return (
    <>
      <h1>Your account</h1>
      <AuthSessionProvider>
        <AccountView />
      </AuthSessionProvider>
    </>
  );
}
