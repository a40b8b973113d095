/**
 * `textgate/react`: the verification components and hooks for host apps (React 19, Next's App Router;
 * the package adds "use client"). Their styles are `textgate/styles.css`, themed through the `--tg-*`
 * custom properties (README, "Using textgate from your app"), with defaults for a page that has none.
 */
export { PhoneInput, type PhoneChangeDetail, type PhoneInputProps } from "./phone-input.tsx";
export { TokenInput, type TokenInputProps } from "./token-input.tsx";
export { ReplyPrompt, type ReplyPromptProps, type ReplyStatus } from "./reply-prompt.tsx";
export { VerifyFlow, type VerifyFlowProps } from "./verify-flow.tsx";
export {
  nextAuthAdapter,
  restAdapter,
  type NextAuthAdapterOptions,
  type RestAdapterOptions,
  type VerifyAdapter,
  type VerifyExtra,
  type VerifyResult,
} from "./adapters.ts";
export { useVerifiedSocket, type SocketMessage, type VerifiedSocketHook } from "../sockets/use-verified-socket.ts";
export type { SmsChallenge, SignInError } from "../../lib/auth/contract.ts";
/** The texts VerifyFlow shows for a refused code, for a host that lays out its own form (examples/next-host/app/login). */
export { describeSignInError } from "../../lib/auth/contract.ts";
export { isTextgateRequestError, TextgateRequestError } from "../../lib/errors.ts";
