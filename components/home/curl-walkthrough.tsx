import Link from "next/link";

import { CodeBlock } from "@/components/ui/code-block.tsx";

import styles from "./home.module.css";

const CREATE = `curl -X POST http://localhost:3000/api/v1/verifications \\
  -H "Authorization: Bearer $TEXTGATE_KEY" \\
  -H 'content-type: application/json' \\
  -d '{"to":"+14155550123"}'`;

const CHECK = `curl -X POST http://localhost:3000/api/v1/verifications/<id>/check \\
  -H "Authorization: Bearer $TEXTGATE_KEY" \\
  -H 'content-type: application/json' \\
  -d '{"code":"123456"}'`;

/** The create → read the code → check flow, as curl commands. */
export function CurlWalkthrough() {
  return (
    <ol className={styles.steps}>
      <li>
        <p>
          Create a verification. textgate generates a code and sends it by SMS (or by voice call with{" "}
          <code>{`"channel":"voice"`}</code>). The response holds the verification&apos;s <code>id</code>.
        </p>
        <CodeBlock caption="Create a verification" code={CREATE} />
      </li>
      <li>
        <p>
          Read the code. With the sandbox carrier nothing leaves the machine: open the{" "}
          <Link href="/sandbox?to=%2B14155550123">sandbox handset for +14155550123</Link> and the text is there.
        </p>
      </li>
      <li>
        <p>
          Check the code the user typed. A correct code approves the verification; a wrong one uses up an attempt.
        </p>
        <CodeBlock caption="Check a code" code={CHECK} />
      </li>
    </ol>
  );
}
