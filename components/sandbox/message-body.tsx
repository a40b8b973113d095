import { CopyButton } from "@/components/ui/copy-button.tsx";

import { splitCodes } from "./find-codes.ts";
import styles from "./sandbox.module.css";

/**
 * A message's text with its one-time codes highlighted. Each code is a <mark data-testid="code"> holding just the
 * code (a spelled-out "1, 2, 3, 4" from a call shows as "1234"), followed by a Copy button.
 */
export function MessageBody({ body, withCopy }: { body: string; withCopy: boolean }) {
  return (
    <>
      {splitCodes(body).map((part, index) =>
        part.kind === "text" ? (
          part.text
        ) : (
          <span key={index} className={styles.codeWrap}>
            <mark
              className={styles.code}
              data-testid="code"
              data-code={part.code}
              title={part.text === part.code ? undefined : `Spoken as “${part.text}”`}
            >
              {part.code}
            </mark>
            {withCopy ? <CopyButton text={part.code} accessibleLabel={`Copy code ${part.code}`} className={styles.copy} /> : null}
          </span>
        ),
      )}
    </>
  );
}
