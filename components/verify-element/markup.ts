/**
 * The shadow root of <textgate-verify>: the parts and message <template>s that components/verify-dom/flow.ts
 * drives, the same structure, texts and class names as the /login card (components/login-page/login-view.tsx)
 * and <VerifyFlow>, written as HTML because this element ships without React. The ids need not be unique on
 * the page: each element has its own shadow root.
 */
import uiStyles from "../ui/ui.module.css";
import { COUNTRIES, countryOptionLabel, findCountry } from "../verification/countries.ts";
import styles from "../verification/verification.module.css";

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[char]};`);

const button = (variant: "primary" | "secondary" | "ghost", small = false) => [uiStyles.button, uiStyles[variant], small ? uiStyles.sm : ""].filter(Boolean).join(" ");

export interface VerifyMarkupOptions {
  /** The country picked at first (ISO code); unknown codes fall back to "US". */
  country: string | null;
  /** The level of the "Enter the code" heading, 1 to 6. */
  headingLevel: number;
}

export function verifyMarkup({ country, headingLevel }: VerifyMarkupOptions): string {
  const selected = findCountry(country ?? undefined)?.code ?? "US";
  const options = COUNTRIES.map((c) => `<option value="${c.code}"${c.code === selected ? " selected" : ""}>${escapeHtml(countryOptionLabel(c))}</option>`).join("");
  const level = Math.min(6, Math.max(1, Math.trunc(headingLevel) || 2));
  return `<div class="${styles.flow}">
  <form class="${styles.form}" data-part="phone-step" novalidate>
    <div class="${styles.phoneInput}">
      <div class="${styles.countryField}">
        <label class="${uiStyles.label}" for="tg-country">Country</label>
        <select id="tg-country" name="country" class="${styles.select}" autocomplete="tel-country-code">${options}</select>
      </div>
      <div class="${styles.numberField}">
        <label class="${uiStyles.label}" for="tg-phone">Phone number</label>
        <input id="tg-phone" name="phone" class="${uiStyles.input}" type="tel" inputmode="tel" autocomplete="tel" spellcheck="false" required>
      </div>
      <div data-part="phone-message-slot"></div>
    </div>
    <div data-part="start-error-slot"></div>
    <div class="${styles.actions}"><button type="submit" class="${button("primary")}" data-part="send">Send code</button></div>
  </form>
  <form class="${styles.form}" data-part="code-step" novalidate hidden>
    <h${level} class="${styles.stepHeading}">Enter the code</h${level}>
    <p id="tg-sent" class="${styles.sentTo}" data-part="sent"><span data-part="sent-before">We sent a code to </span><span class="${styles.number}" data-part="sent-number"></span><span data-part="sent-after">.</span></p>
    <div data-part="notice-slot"></div>
    <div class="${styles.tokenInput}">
      <div role="group" aria-label="Verification code" class="${styles.boxes}" data-part="boxes"></div>
      <div data-part="code-message-slot"></div>
      <p id="tg-expiry" class="${styles.expiry}" data-part="expiry"></p>
      <button type="button" class="${button("secondary", true)} ${styles.resend}" data-part="resend" disabled>Resend code</button>
    </div>
    <div class="${styles.actions}">
      <button type="submit" class="${button("primary")}" data-part="verify">Verify</button>
      <button type="button" class="${button("ghost")}" data-part="different-number">Use a different number</button>
    </div>
  </form>
  <div role="status" tabindex="-1" class="${styles.done}" data-part="done" hidden>Your phone number is verified.</div>
  <template data-template="box"><input class="${styles.box}" type="text" autocorrect="off" spellcheck="false"></template>
  <template data-template="phone-message"><div role="alert" class="${styles.phoneMessage}"><p id="tg-phone-message" class="${uiStyles.fieldMessage} ${uiStyles.error}"></p></div></template>
  <template data-template="form-error"><div role="alert" class="${styles.formError}"></div></template>
  <template data-template="code-error"><div role="alert" id="tg-code-error" class="${styles.tokenError}"></div></template>
  <template data-template="code-info"><p id="tg-code-info" class="${styles.tokenInfo}"></p></template>
  <template data-template="notice"><p role="status" class="${styles.notice}"></p></template>
</div>`;
}
