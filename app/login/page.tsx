import type { Metadata } from "next";
import Link from "next/link";

import authStyles from "@/components/auth/auth.module.css";
import { LoginForm } from "@/components/auth/login-form.tsx";
import { Card } from "@/components/ui/card.tsx";
import { safeCallbackUrl } from "@/components/verification/adapters.ts";

export const metadata: Metadata = {
  title: "Sign in",
  description: "Sign in to textgate with your phone number and a one-time code.",
};

interface LoginPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const params = await searchParams;
  const raw = params.callbackUrl;
  const callbackUrl = safeCallbackUrl(Array.isArray(raw) ? raw[0] : raw, "/account");
  return (
    <div className={authStyles.authPage}>
      <div>
        <h1>Sign in</h1>
        <p className="page-intro">No password: we text a one-time code to your phone.</p>
      </div>
      <Card className={authStyles.authCard}>
        <LoginForm callbackUrl={callbackUrl} />
      </Card>
      <p className={authStyles.alternative}>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
