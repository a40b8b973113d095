/**
 * `textgate/playwright`: what a host's own end-to-end tests need to test phone sign-in against a
 * textgate server whose sandbox carrier is on — fresh valid numbers per worker, an inbox that reads
 * the codes texted to them and replies from them (over the sandbox API, with an API key), and helpers
 * that fill textgate's components by their accessible names.
 *
 *   import { test as base } from "@playwright/test";
 *   import { textgateFixtures } from "textgate/playwright";
 *   export const test = base.extend(textgateFixtures()); // TEXTGATE_URL, TEXTGATE_KEY
 */
import type { Fixtures, Page, PlaywrightTestArgs, PlaywrightWorkerArgs } from "@playwright/test";
import { parsePhoneNumberWithError } from "libphonenumber-js/min";
import { createTextgateClient, type TextgateClient } from "../client/index.ts";
import type { SandboxMessage } from "../client/types.ts";

export interface TextgateTestOptions {
  /** The textgate server (default: TEXTGATE_URL). */
  baseUrl?: string;
  /** An API key of that server (default: TEXTGATE_KEY). */
  apiKey?: string;
  /** How long `waitForCode` waits by default, in ms (default 15,000). */
  codeTimeoutMs?: number;
}

export interface WaitForCodeOptions {
  /** Only texts sent at or after this time (ms since the epoch). Default: the last code this inbox returned for the number, or the test's start. */
  since?: number;
  timeoutMs?: number;
}

export interface Inbox {
  /** The number's conversation, newest first: texts and calls sent to it, and its replies. */
  messages(number: string): Promise<SandboxMessage[]>;
  /** Waits for a new text with a code to `number` and returns the code. */
  waitForCode(number: string, options?: WaitForCodeOptions): Promise<string>;
  /** `number` texts `text` to the server (a reply such as "YES" or a shared secret). */
  reply(number: string, text: string): Promise<void>;
}

export interface FillOptions {
  /** The page to fill (default: the test's page). */
  page?: Page;
  /** The label the component was given (defaults: "Phone number", "Verification code"). */
  label?: string;
}

export interface TextgateTestFixtures {
  /** A valid phone number (E.164) that no other test of this run uses. */
  phoneNumber: string;
  /** More such numbers. */
  newPhoneNumber: () => string;
  inbox: Inbox;
  /** Picks the number's country and types its national part into textgate's PhoneInput. */
  fillPhone: (number: string, options?: FillOptions) => Promise<void>;
  /** Types a code into textgate's TokenInput, one character per box. */
  fillCode: (code: string, options?: FillOptions) => Promise<void>;
}

export interface TextgateWorkerFixtures {
  /** The typed REST client of the server under test. */
  textgate: TextgateClient;
}

/**
 * The code in a text: the origin-bound last line (`@host #code`) that textgate adds by default, else
 * the phrase "code is X" or the first run of 4–20 letters and digits containing a digit.
 */
export function codeIn(body: string): string | null {
  return (
    /(?:^|\n)@\S+ #([A-Za-z0-9]{4,20})\s*$/.exec(body)?.[1] ??
    /\bcode is ([A-Z0-9]{4,20})\b/.exec(body)?.[1] ??
    /\b(?=[A-Z0-9]*[0-9])([A-Z0-9]{4,20})\b/.exec(body)?.[1] ??
    null
  );
}

/**
 * Numbers +1 <area> 555 1000–8999: valid US numbers libphonenumber accepts, in a range no subscriber has
 * (9000–9999 stay free for a host's own fixed numbers, such as its owners'). Each parallel worker has its
 * own area code, so up to 16 workers at once never share a number; within it, lines follow one another
 * from a random start per worker process, so reruns against a server that kept its users rarely meet.
 */
const AREA_CODES = ["212", "415", "646", "718", "917", "310", "312", "617", "206", "303", "305", "404", "512", "702", "713", "214"] as const;
const nextLine = new Map<number, number>(); // per worker process: its tests run one after another

function nextNumber(parallelIndex: number): string {
  const line = nextLine.get(parallelIndex) ?? Math.floor(Math.random() * 8000);
  nextLine.set(parallelIndex, line + 1);
  return `+1${AREA_CODES[parallelIndex % AREA_CODES.length]}555${1000 + (line % 8000)}`;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createInbox(client: TextgateClient, options: { startedAt?: number; timeoutMs?: number } = {}): Inbox {
  const startedAt = options.startedAt ?? Date.now();
  const returned = new Set<string>(); // ids of texts whose code was returned already
  const sinceOf = new Map<string, number>();
  return {
    messages: (number) => client.sandbox.conversation(number, { limit: 100 }),
    async waitForCode(number, wait = {}) {
      const since = wait.since ?? sinceOf.get(number) ?? startedAt;
      const deadline = Date.now() + (wait.timeoutMs ?? options.timeoutMs ?? 15_000);
      while (true) {
        const texts = (await client.sandbox.messages(number, { limit: 100 })).filter(
          (m) => m.direction === "outbound" && m.channel === "sms" && Date.parse(m.createdAt) >= since - 1000 && !returned.has(m.id),
        );
        for (const text of texts) {
          const code = codeIn(text.body);
          if (!code) continue;
          returned.add(text.id);
          sinceOf.set(number, Date.parse(text.createdAt));
          return code;
        }
        if (Date.now() > deadline) throw new Error(`textgate/playwright: no code was texted to ${number} in time`);
        await delay(150);
      }
    },
    async reply(number, text) {
      await client.sandbox.reply({ from: number, body: text });
    },
  };
}

export async function fillPhone(page: Page, number: string, label = "Phone number"): Promise<void> {
  const parsed = parsePhoneNumberWithError(number);
  if (!parsed.country) throw new Error(`textgate/playwright: ${number} belongs to no single country`);
  const input = page.getByLabel(label, { exact: true });
  // The country picker sits beside the input; a component without one takes the number as typed.
  const country = page.getByLabel("Country", { exact: true });
  if (await country.count()) {
    await country.selectOption(parsed.country);
    await input.fill(parsed.nationalNumber);
    // PhoneInput formats as one types once its (lazily loaded) phone library is in: wait for that, so
    // that a click on "Send code" right after sends this number.
    const formatted = parsed.formatNational();
    for (let waited = 0; waited < 5_000 && (await input.inputValue()) !== formatted; waited += 50) await delay(50);
  } else {
    await input.fill(number);
  }
}

export async function fillCode(page: Page, code: string, label = "Verification code"): Promise<void> {
  const boxes = page.getByRole("group", { name: label }).getByRole("textbox");
  // The code often arrives before the page shows its input (the text goes out before the answer that
  // renders the code step): wait for the boxes, or they would be counted as none.
  await boxes.first().waitFor({ state: "visible" });
  const count = await boxes.count();
  if (count !== code.length) throw new Error(`textgate/playwright: the code has ${code.length} characters, the input ${count} boxes`);
  for (let i = count - 1; i >= 0; i--) await boxes.nth(i).fill("");
  for (let i = 0; i < count; i++) await boxes.nth(i).fill(code.charAt(i));
}

export function textgateFixtures(
  options: TextgateTestOptions = {},
): Fixtures<TextgateTestFixtures, TextgateWorkerFixtures, PlaywrightTestArgs, PlaywrightWorkerArgs> {
  return {
    textgate: [
      async ({}, use) => {
        const baseUrl = options.baseUrl ?? process.env.TEXTGATE_URL;
        const apiKey = options.apiKey ?? process.env.TEXTGATE_KEY;
        if (!baseUrl || !apiKey) throw new Error("textgate/playwright: set TEXTGATE_URL and TEXTGATE_KEY (or pass baseUrl and apiKey)");
        await use(createTextgateClient({ baseUrl, apiKey }));
      },
      { scope: "worker" },
    ],
    newPhoneNumber: async ({}, use, testInfo) => {
      await use(() => nextNumber(testInfo.parallelIndex));
    },
    phoneNumber: async ({ newPhoneNumber }, use) => {
      await use(newPhoneNumber());
    },
    inbox: async ({ textgate }, use) => {
      await use(createInbox(textgate, { startedAt: Date.now(), timeoutMs: options.codeTimeoutMs }));
    },
    fillPhone: async ({ page }, use) => {
      await use((number, fill = {}) => fillPhone(fill.page ?? page, number, fill.label));
    },
    fillCode: async ({ page }, use) => {
      await use((code, fill = {}) => fillCode(fill.page ?? page, code, fill.label));
    },
  };
}
