import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button.tsx";
import { FieldMessage, Input, Label } from "@/components/ui/input.tsx";

import { sendReply } from "./sandbox-api.ts";
import { TextgateRequestError } from "@/lib/errors.ts";
import styles from "./sandbox.module.css";

export interface ReplyFormProps {
  /** The phone that replies (E.164). */
  number: string;
  /** Called after the server stored the reply. */
  onSent: () => void;
}

/** Answer as the phone would, e.g. "YES" or "STOP"; the text reaches textgate as an inbound message. */
export function ReplyForm({ number, onSent }: ReplyFormProps) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    if (!text.trim()) {
      setError("Type a reply first.");
      return;
    }
    setSending(true);
    setError(null);
    setStatus("");
    try {
      const result = await sendReply(number, text);
      setText("");
      setStatus(result.duplicate ? "That reply was already received." : "Reply sent.");
      onSent();
    } catch (caught) {
      setError(caught instanceof TextgateRequestError ? caught.message : "The reply could not be sent.");
    } finally {
      setSending(false);
    }
  }

  return (
    <form className={styles.replyForm} onSubmit={submit} noValidate>
      <Label htmlFor="sandbox-reply">Reply</Label>
      <div className={styles.inline}>
        <Input
          id="sandbox-reply"
          name="body"
          autoComplete="off"
          placeholder={`Reply as ${number}`}
          maxLength={1600}
          value={text}
          invalid={error !== null}
          aria-describedby={error ? "sandbox-reply-error" : undefined}
          onChange={(event) => {
            setText(event.target.value);
            if (status) setStatus("");
          }}
        />
        <Button type="submit" disabled={sending} aria-busy={sending || undefined}>
          Send reply
        </Button>
      </div>
      <div role="alert">
        {error ? (
          <FieldMessage id="sandbox-reply-error" tone="error">
            {error}
          </FieldMessage>
        ) : null}
      </div>
      <p role="status" className="sr-only">
        {status}
      </p>
    </form>
  );
}
