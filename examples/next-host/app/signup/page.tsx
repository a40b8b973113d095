import { SignupForm } from "./signup-form";

export default function SignupPage() {
  return (
    <>
      <h1>Create your account</h1>
      <SignupForm />
    </>
  );
}
