/**
 * The /login page's HTML, rendered on the server only. It ships no React to the browser: a small script
 * (login-script.ts, bundled by scripts/build-login-script.ts) drives the same phone → code → done steps as
 * <VerifyFlow>, with the same texts, roles and styles. See pages/login.tsx for why.
 *
 * The script finds its parts by `data-part` and clones the <template>s below, so the markup lives here.
 */
import { renderToStaticMarkup } from "react-dom/server";

import authStyles from "@/components/auth/auth.module.css";
import { SiteFooter } from "@/components/site/site-footer.tsx";
import { SiteHeader } from "@/components/site/site-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Input, Label } from "@/components/ui/input.tsx";
import uiStyles from "@/components/ui/ui.module.css";
import { findCountry } from "@/components/verification/countries.ts";
import { CountryOptions } from "@/components/verification/country-options.tsx";
import { SandboxHandsetLink } from "@/components/verification/sandbox-handset-link.tsx";
import styles from "@/components/verification/verification.module.css";
import type { AuthClientConfig } from "@/lib/auth/contract.ts";

import { maskPhone } from "@/lib/phone.ts";
import type { SignedInAccount } from "@/server/auth/signed-in-account.ts";

import { LOGIN_DATA_ID, type LoginPageData } from "./login-data.ts";

/** The interactive card: both steps, the done message and the templates the script clones. */
function LoginCard({ auth }: { auth: AuthClientConfig }) {
  const country = findCountry(auth.defaultCountry)?.code ?? "US";
  return (
    <div className={styles.flow} data-part="flow">
      <form className={styles.form} data-part="phone-step" noValidate>
        <div className={styles.phoneInput}>
          <div className={styles.countryField}>
            <Label htmlFor="login-country">Country</Label>
            <select id="login-country" name="country" className={styles.select} defaultValue={country} autoComplete="tel-country-code">
              <CountryOptions />
            </select>
          </div>
          <div className={styles.numberField}>
            <Label htmlFor="login-phone">Phone number</Label>
            <Input id="login-phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" spellCheck={false} required />
          </div>
          <div data-part="phone-message-slot" />
        </div>
        <div data-part="start-error-slot" />
        <div className={styles.actions}>
          <Button type="submit" data-part="send">
            Send code
          </Button>
        </div>
        <noscript>
          <p className={styles.formError}>Signing in needs JavaScript. Turn it on and reload this page.</p>
        </noscript>
      </form>

      <form className={styles.form} data-part="code-step" noValidate hidden>
        <h2 className={styles.stepHeading}>Enter the code</h2>
        <p id="login-sent" className={styles.sentTo} data-part="sent">
          <span data-part="sent-before">We sent a code to </span>
          <span className={styles.number} data-part="sent-number" />
          <span data-part="sent-after">.</span>
        </p>
        <div data-part="notice-slot" />
        <div className={styles.tokenInput}>
          <div role="group" aria-label="Verification code" className={styles.boxes} data-part="boxes" />
          <div data-part="code-message-slot" />
          <p id="login-expiry" className={styles.expiry} data-part="expiry" />
          <Button variant="secondary" size="sm" className={styles.resend} data-part="resend" disabled>
            Resend code
          </Button>
        </div>
        <div className={styles.actions}>
          <Button type="submit" data-part="verify">
            Verify
          </Button>
          <Button variant="ghost" data-part="different-number">
            Use a different number
          </Button>
        </div>
        {auth.sandbox ? <SandboxHandsetLink linkProps={{ "data-part": "sandbox-link" }} /> : null}
      </form>

      <div role="status" tabIndex={-1} className={styles.done} data-part="done" hidden>
        You are signed in. Taking you back…
      </div>

      <template data-template="box">
        <input className={styles.box} type="text" autoCorrect="off" spellCheck={false} />
      </template>
      <template data-template="phone-message">
        <div role="alert" className={styles.phoneMessage}>
          <p id="login-phone-message" className={[uiStyles.fieldMessage, uiStyles.error].join(" ")} />
        </div>
      </template>
      <template data-template="form-error">
        <div role="alert" className={styles.formError} />
      </template>
      <template data-template="code-error">
        <div role="alert" id="login-code-error" className={styles.tokenError} />
      </template>
      <template data-template="code-info">
        <p id="login-code-info" className={styles.tokenInfo} />
      </template>
      <template data-template="notice">
        <p role="status" className={styles.notice} />
      </template>
    </div>
  );
}

export interface LoginViewProps extends LoginPageData {
  /** URL of the bundled login script, or null when the build did not make it (the page says so). */
  scriptSrc: string | null;
  /** Who is signed in already, if anyone: the page offers to continue or to switch. */
  account: SignedInAccount | null;
  /** Said after "Sign out everywhere". */
  signedOutNotice: string | null;
}

/** Signed in already: continue where the sign-in would lead, or sign out and use another number. */
function SignedInNotice({ account, callbackUrl }: { account: SignedInAccount; callbackUrl: string }) {
  const who = [account.name, account.phone ? maskPhone(account.phone) : null].filter(Boolean).join(", ");
  return (
    <div role="status" className={authStyles.notice} data-part="signed-in">
      <p>
        You are already signed in{who ? ` as ${who}` : ""}. <a href={callbackUrl}>Continue</a>, or sign out to use another number.
      </p>
      <Button variant="secondary" size="sm" data-part="sign-out">
        Sign out
      </Button>
    </div>
  );
}

export function LoginView({ auth, callbackUrl, scriptSrc, account, signedOutNotice }: LoginViewProps) {
  const data: LoginPageData = { auth, callbackUrl };
  // The card is plain HTML to React: in development Next hydrates this page, and React must not take back
  // the DOM the script changes.
  const card = renderToStaticMarkup(<LoginCard auth={auth} />);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader account={account} signOut={false} />
      <main id="main" className="site-main" tabIndex={-1}>
        <div className="container">
          <div className={authStyles.authPage}>
            <div>
              <h1>Sign in</h1>
              <p className="page-intro">No password: we text a one-time code to your phone.</p>
            </div>
            <Card className={authStyles.authCard}>
              {scriptSrc ? null : (
                <p role="alert" className={authStyles.errorBox}>
                  This server was built without the sign-in script. Run <code>npm run build</code> and restart it.
                </p>
              )}
              {account ? <SignedInNotice account={account} callbackUrl={callbackUrl} /> : null}
              {!account && signedOutNotice ? (
                <p role="status" className={authStyles.notice}>
                  {signedOutNotice}
                </p>
              ) : null}
              {/* The script marks this root data-ready; in development React hydrates it afterwards and must not complain. */}
              <div data-login-root="" suppressHydrationWarning dangerouslySetInnerHTML={{ __html: card }} />
            </Card>
            <p className={authStyles.alternative}>
              New here? <a href="/signup">Create an account</a>
            </p>
          </div>
        </div>
      </main>
      <SiteFooter />
      <script
        id={LOGIN_DATA_ID}
        type="application/json"
        // JSON inside <script>: "<" is escaped so no value can close the element.
        dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, "\\u003c") }}
      />
      {scriptSrc ? <script type="module" src={scriptSrc} /> : null}
    </>
  );
}
