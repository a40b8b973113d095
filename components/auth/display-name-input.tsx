import { FieldMessage, Input } from "@/components/ui/input.tsx";

export const DISPLAY_NAME_MAX = 60;

/** The display-name field of /signup and /account (its label is the caller's, as layouts differ). */
export function DisplayNameInput({ id, value, onChange, hint }: { id: string; value: string; onChange: (value: string) => void; hint: string }) {
  return (
    <>
      <Input
        id={id}
        name="name"
        type="text"
        autoComplete="nickname"
        maxLength={DISPLAY_NAME_MAX}
        value={value}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldMessage id={`${id}-hint`}>{hint}</FieldMessage>
    </>
  );
}
