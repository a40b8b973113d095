import Link from "next/link";

export default function Home() {
  return (
    <>
      <h1>A host app</h1>
      <p>
        This app keeps its own users and sessions; a textgate server texts and checks the codes. <Link href="/signup">Create an account</Link>,{" "}
        <Link href="/login">sign in</Link>, then open a <Link href="/chat">chat socket</Link> that asks for a code or a YES by text first.
      </p>
    </>
  );
}
