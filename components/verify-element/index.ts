/**
 * `textgate/embed`: <textgate-verify endpoint="/api/verify"> for pages without React. A script tag
 * (`<script type="module" src=".../textgate/dist/embed.js">`) or `import "textgate/embed"` registers it; it
 * runs the phone → code flow of /login (components/verify-dom/flow.ts) against the host's own endpoint
 * through `restAdapter`, so it speaks the protocol of `createVerifyRoutes` (server/kit/verify-routes.ts),
 * which keeps the API key on the host's server and limits who may be texted.
 *
 * Shadow DOM, with textgate/styles.css's rules adopted into it (scripts/package/build.ts inlines them as
 * TEXTGATE_EMBED_CSS): the host page's CSS (resets, `input { … }`) cannot restyle the inside, the ids that
 * labels and aria-describedby need stay unique per element, and CSS custom properties inherit through the
 * shadow boundary, so the documented `--tg-*` variables set on any ancestor theme it as they theme the
 * React components.
 *
 * Events (bubbling, composed): `textgate:verified` ({ verificationId, to }) once the code is right, and
 * `textgate:error` ({ code, message }) for every refusal the element shows.
 */
import type { SmsChallenge } from "../../lib/auth/contract.ts";
import { restAdapter } from "../verification/adapters.ts";
import { runVerifyFlow } from "../verify-dom/flow.ts";
import { verifyMarkup } from "./markup.ts";

/** Inlined by the package build; absent when this file runs unbundled. */
declare const TEXTGATE_EMBED_CSS: string | undefined;

export interface TextgateVerifiedDetail {
  /** The verification's id on the textgate server: the host's server can look it up (`verifications.get`). */
  verificationId: string;
  /** The verified number, E.164. */
  to: string;
}

export interface TextgateErrorDetail {
  /** An error code of textgate's error dictionary ("invalid_phone_number", "rate_limited", …) or a wrong code's kind ("invalid_code", "locked", "expired_or_used"). */
  code: string;
  /** The message the element shows. */
  message: string;
}

export const TEXTGATE_VERIFY_TAG = "textgate-verify";

// The element's own rules on top of the components': [hidden] must win over the forms' `display: grid`.
const HOST_CSS = ":host{display:block}[hidden]{display:none!important}";

let sheet: CSSStyleSheet | undefined;
function adoptStyles(shadow: ShadowRoot): void {
  const css = `${HOST_CSS}${typeof TEXTGATE_EMBED_CSS === "string" ? TEXTGATE_EMBED_CSS : ""}`;
  if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet.prototype.replaceSync === "function") {
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement("style");
  style.textContent = css;
  shadow.prepend(style);
}

/**
 * Defines <textgate-verify> (under another name if asked); importing this module already does so
 * wherever `customElements` exists, so hosts rarely call it.
 */
export function defineTextgateVerify(name = TEXTGATE_VERIFY_TAG): void {
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class TextgateVerifyElement extends HTMLElement {
      connectedCallback(): void {
        if (this.shadowRoot) return; // moved in the page: the flow keeps its state
        const shadow = this.attachShadow({ mode: "open" });
        adoptStyles(shadow);
        const template = document.createElement("template");
        template.innerHTML = verifyMarkup({ country: this.getAttribute("country"), headingLevel: Number(this.getAttribute("heading-level") ?? 2) });
        shadow.append(template.content);
        const endpoint = this.getAttribute("endpoint");
        if (!endpoint) throw new Error(`<${name}> needs an endpoint attribute: the path of your createVerifyRoutes handler, e.g. "/api/verify".`);
        const cooldown = Number(this.getAttribute("resend-cooldown"));
        const adapter = restAdapter({ baseUrl: endpoint, ...(cooldown > 0 ? { resendCooldownSeconds: cooldown } : {}) });
        runVerifyFlow(shadow, this, adapter, {
          verified: (challenge: SmsChallenge) => this.emit<TextgateVerifiedDetail>("textgate:verified", { verificationId: challenge.verificationId, to: challenge.to }),
          failed: (error) => this.emit<TextgateErrorDetail>("textgate:error", error),
        });
      }

      private emit<T>(type: string, detail: T): void {
        this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
      }
    },
  );
}

declare global {
  interface HTMLElementTagNameMap {
    /** Attributes: endpoint (required), country, heading-level, resend-cooldown. */
    "textgate-verify": HTMLElement;
  }
  interface HTMLElementEventMap {
    "textgate:verified": CustomEvent<TextgateVerifiedDetail>;
    "textgate:error": CustomEvent<TextgateErrorDetail>;
  }
}

if (typeof customElements !== "undefined") defineTextgateVerify();
