import { getServerSession } from "next-auth";
import Link from "next/link";
import { authOptions } from "../../auth";
import { SignOutButton } from "./sign-out-button";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const session = await getServerSession(authOptions);
  if (!session?.user) {
    return (
      <p>
        You are signed out. <Link href="/login">Sign in</Link>
      </p>
    );
  }
  return (
    <>
      <h1>Your account</h1>
      <dl>
        <dt>Name</dt>
        <dd data-testid="account-name">{session.user.name ?? "—"}</dd>
        <dt>Phone</dt>
        <dd data-testid="account-phone">{session.user.phone}</dd>
      </dl>
      <SignOutButton />
    </>
  );
}
