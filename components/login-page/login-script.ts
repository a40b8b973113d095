/**
 * The /login page's script: phone → code → signed in, like <VerifyFlow> with `nextAuthAdapter`, on the
 * server-rendered markup of login-view.tsx and without React (the page's JavaScript budget is 100 KB gzip;
 * React and Next's client runtime alone are about 138 KB). The flow itself is components/verify-dom/flow.ts,
 * shared with <textgate-verify>. Bundled by scripts/build-login-script.ts.
 */
import { nextAuthAdapter } from "@/components/verification/adapters.ts";
import { postCredentials, postSignOut } from "@/components/verification/credentials-sign-in.ts";
import { runVerifyFlow } from "@/components/verify-dom/flow.ts";

import { LOGIN_DATA_ID, type LoginPageData } from "./login-data.ts";

/** Signed in already: "Sign out" ends that session and shows the page again, signed out. */
function wireSignOut(button: HTMLButtonElement): void {
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Signing out…";
    await postSignOut();
    window.location.reload();
  });
}

const root = document.querySelector<HTMLElement>("[data-login-root]");
const dataElement = document.getElementById(LOGIN_DATA_ID);
const signOutButton = document.querySelector<HTMLButtonElement>('[data-part="sign-out"]');
if (signOutButton) wireSignOut(signOutButton);
if (root && dataElement?.textContent) {
  const data = JSON.parse(dataElement.textContent) as LoginPageData;
  // The adapter navigates to the callback URL once signed in.
  runVerifyFlow(root, root, nextAuthAdapter({ callbackUrl: data.callbackUrl, signIn: postCredentials }));
}
