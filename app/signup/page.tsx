import type { Metadata } from "next";
import Link from "next/link";

import authStyles from "@/components/auth/auth.module.css";
import { SignupForm } from "@/components/auth/signup-form.tsx";
import { Card } from "@/components/ui/card.tsx";

export const metadata: Metadata = {
  title: "Create your account",
  description: "Create a textgate account with your phone number: no password, just a one-time code.",
};

export default function SignupPage() {
  return (
    <div className={authStyles.authPage}>
      <div>
        <h1>Create your account</h1>
        <p className="page-intro">
          Your phone number is your account: we text you a code, you type it in, and you are signed in. No password to
          remember.
        </p>
      </div>
      <Card className={authStyles.authCard}>
        <SignupForm callbackUrl="/account?welcome=signup" />
      </Card>
      <p className={authStyles.alternative}>
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </div>
  );
}
