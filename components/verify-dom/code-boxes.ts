/**
 * The code entry of the framework-free flow (flow.ts: /login and <textgate-verify>), with the behaviour of <TokenInput mode="boxes">: one box per character, typing
 * moves on, Backspace goes back, the arrow keys move, a pasted or WebOTP code fills every box and a complete
 * code submits itself. Attempts left, errors and the "Resend code" countdown live here too.
 */
import { attemptsLeftText, codeCharacters, expiresInText, listenForWebOtp } from "../verification/token-text.ts";

import { fromTemplate, showMessage } from "./dom.ts";

export interface CodeBoxesEvents {
  /** The code is complete (typed, pasted or read by WebOTP); once per distinct code. */
  complete(code: string): void;
  resend(): void;
  /** The code's validity ended while it was shown (no check was needed to know). */
  expired(): void;
}

export class CodeBoxes {
  private boxes: HTMLInputElement[] = [];
  private chars: string[] = [];
  private length = 6;
  private alphanumeric = false;
  private lastCompleted: string | null = null;
  private attemptsLeft: number | null = null;
  private error: string | null = null;
  private resendAt: number | null = null;
  private resending = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private expiresAt: number | null = null;
  private expiryTimer: ReturnType<typeof setInterval> | undefined;
  private webOtp: AbortController | null = null;

  constructor(
    private readonly root: ParentNode,
    private readonly group: HTMLElement,
    private readonly messageSlot: HTMLElement,
    private readonly resendButton: HTMLButtonElement,
    private readonly expiryLabel: HTMLElement,
    private readonly describedBy: string,
    private readonly events: CodeBoxesEvents,
  ) {
    resendButton.addEventListener("click", () => events.resend());
  }

  /** Empty boxes for a new challenge. */
  reset(options: { length: number; alphanumeric: boolean; attemptsLeft: number; resendAvailableAt: string | null; expiresAt: string | null }): void {
    this.length = options.length;
    this.alphanumeric = options.alphanumeric;
    this.attemptsLeft = options.attemptsLeft;
    this.error = null;
    this.lastCompleted = null;
    this.chars = Array.from({ length: this.length }, () => "");
    this.boxes = this.chars.map((_, index) => this.createBox(index));
    this.group.replaceChildren(...this.boxes);
    this.setResendAt(options.resendAvailableAt);
    this.setExpiresAt(options.expiresAt);
    this.renderMessage(false);
    this.listenForWebOtp();
  }

  value(): string {
    return this.chars.join("");
  }

  get size(): number {
    return this.length;
  }

  /** Shows an error (announced again even with the same text), empties the boxes and refocuses. */
  fail(message: string, options: { attemptsLeft?: number | null; dead?: boolean; keepFocus?: boolean } = {}): void {
    if (options.attemptsLeft !== undefined) this.attemptsLeft = options.attemptsLeft;
    this.error = message;
    if (options.dead) {
      this.attemptsLeft = null;
      this.setDisabled(true);
      this.setResendAt(null);
      this.setExpiresAt(null);
    }
    this.renderMessage(true);
    this.clear(options.keepFocus ? null : !options.dead);
  }

  setDisabled(disabled: boolean): void {
    for (const box of this.boxes) box.disabled = disabled;
    if (disabled) this.stopWebOtp();
  }

  setResending(resending: boolean): void {
    this.resending = resending;
    this.renderResend();
  }

  focusFirst(): void {
    this.focusBox(0);
  }

  private createBox(index: number): HTMLInputElement {
    const box = fromTemplate<HTMLInputElement>(this.root, "box");
    if (index === 0) box.id = "login-code";
    box.inputMode = this.alphanumeric ? "text" : "numeric";
    if (!this.alphanumeric) box.pattern = "[0-9]*";
    box.autocapitalize = this.alphanumeric ? "characters" : "off";
    box.autocomplete = index === 0 ? "one-time-code" : "off";
    box.setAttribute("aria-label", `Character ${index + 1} of ${this.length}`);
    box.addEventListener("input", () => this.typed(index));
    box.addEventListener("keydown", (event) => this.key(index, event));
    box.addEventListener("paste", (event) => this.pasted(index, event));
    box.addEventListener("focus", () => box.select());
    return box;
  }

  private sanitize(text: string): string {
    return codeCharacters(text, this.length, this.alphanumeric);
  }

  private focusBox(index: number): void {
    const box = this.boxes[Math.max(0, Math.min(this.length - 1, index))];
    box?.focus();
    box?.select();
  }

  private commit(next: string[]): void {
    this.chars = next;
    next.forEach((char, index) => {
      const box = this.boxes[index];
      if (box && box.value !== char) box.value = char;
    });
    const code = next.join("");
    if (code.length === this.length && next.every(Boolean)) {
      if (this.lastCompleted !== code) {
        this.lastCompleted = code;
        this.events.complete(code);
      }
    } else {
      this.lastCompleted = null;
    }
  }

  /** Puts `text` into the boxes from `start` (from the first box when it is a whole code). */
  private fill(text: string, start: number): void {
    const clean = this.sanitize(text).slice(0, this.length);
    if (!clean) return;
    const from = clean.length >= this.length ? 0 : start;
    const next = [...this.chars];
    for (let i = 0; i < clean.length && from + i < this.length; i++) next[from + i] = clean[i] ?? "";
    this.commit(next);
    this.focusBox(Math.min(from + clean.length, this.length - 1));
  }

  /** Empties the boxes; `refocus` true focuses the first box, false "Resend code", null leaves the focus alone. */
  private clear(refocus: boolean | null): void {
    this.lastCompleted = null;
    this.commit(Array.from({ length: this.length }, () => ""));
    if (refocus === null) return;
    // A disabled code (locked, expired) cannot take the focus: "Resend code" is the way on.
    requestAnimationFrame(() => (refocus ? this.focusBox(0) : this.resendButton.focus()));
  }

  private typed(index: number): void {
    const box = this.boxes[index];
    if (!box) return;
    const value = box.value;
    const previous = this.chars[index] ?? "";
    const next = [...this.chars];
    if (value === "") {
      next[index] = "";
      this.commit(next);
      return;
    }
    // Typing over a selected character gives one character; typing beside it gives two: keep the new one.
    let typed = value;
    if (value.length === 2 && previous && value.includes(previous)) typed = value[0] === previous ? value.slice(1) : value.slice(0, 1);
    if (this.sanitize(typed).length > 1) {
      this.fill(typed, index); // autofill or a paste that did not go through the paste event
      return;
    }
    const char = this.sanitize(typed).slice(0, 1);
    if (!char) {
      box.value = previous; // not a code character: the box keeps what it had
      return;
    }
    next[index] = char;
    this.commit(next);
    if (index < this.length - 1) this.focusBox(index + 1);
  }

  private key(index: number, event: KeyboardEvent): void {
    const next = [...this.chars];
    switch (event.key) {
      case "Backspace":
        if (this.chars[index]) return; // the input event empties this box
        event.preventDefault();
        if (index === 0) return;
        next[index - 1] = "";
        this.commit(next);
        this.focusBox(index - 1);
        return;
      case "Delete":
        event.preventDefault();
        next[index] = "";
        this.commit(next);
        return;
      case "ArrowLeft":
        event.preventDefault();
        this.focusBox(index - 1);
        return;
      case "ArrowRight":
        event.preventDefault();
        this.focusBox(index + 1);
        return;
      case "Home":
        event.preventDefault();
        this.focusBox(0);
        return;
      case "End":
        event.preventDefault();
        this.focusBox(this.length - 1);
        return;
    }
  }

  private pasted(index: number, event: ClipboardEvent): void {
    const text = event.clipboardData?.getData("text") ?? "";
    if (!this.sanitize(text)) return;
    event.preventDefault();
    this.fill(text, index);
  }

  private listenForWebOtp(): void {
    this.stopWebOtp();
    const controller = new AbortController();
    this.webOtp = controller;
    listenForWebOtp({ length: this.length, alphanumeric: this.alphanumeric, signal: controller.signal, onCode: (code) => this.commit(code.split("")) });
  }

  private stopWebOtp(): void {
    this.webOtp?.abort();
    this.webOtp = null;
  }

  private renderMessage(again: boolean): void {
    const charKind = this.alphanumeric ? "letters and digits" : "digits";
    const info = this.attemptsLeft === null ? "" : ` ${attemptsLeftText(this.attemptsLeft)}`;
    const shown = this.error
      ? showMessage(this.root, this.messageSlot, "code-error", this.error, again)
      : showMessage(this.root, this.messageSlot, "code-info", `${this.length} ${charKind}.${info}`);
    this.group.setAttribute("aria-describedby", [this.describedBy, shown?.id].filter(Boolean).join(" "));
    for (const box of this.boxes) {
      if (this.error) box.setAttribute("aria-invalid", "true");
      else box.removeAttribute("aria-invalid");
    }
  }

  private setResendAt(resendAvailableAt: string | null): void {
    clearInterval(this.timer);
    const time = resendAvailableAt ? Date.parse(resendAvailableAt) : Number.NaN;
    this.resendAt = Number.isNaN(time) ? null : time;
    this.renderResend();
    if (this.resendAt !== null && this.resendAt > Date.now()) {
      this.timer = setInterval(() => {
        this.renderResend();
        if (this.resendAt === null || Date.now() >= this.resendAt) clearInterval(this.timer);
      }, 1000);
    }
  }

  /** Counts down the code's validity under the boxes and reports its end once. */
  private setExpiresAt(expiresAt: string | null): void {
    clearInterval(this.expiryTimer);
    const time = expiresAt ? Date.parse(expiresAt) : Number.NaN;
    this.expiresAt = Number.isNaN(time) ? null : time;
    const render = (): boolean => {
      if (this.expiresAt === null) {
        this.expiryLabel.textContent = "";
        return false;
      }
      const secondsLeft = Math.ceil((this.expiresAt - Date.now()) / 1000);
      if (secondsLeft > 0) {
        this.expiryLabel.textContent = expiresInText(secondsLeft);
        return true;
      }
      this.expiresAt = null;
      this.expiryLabel.textContent = "";
      this.events.expired();
      return false;
    };
    if (render()) {
      this.expiryTimer = setInterval(() => {
        if (!render()) clearInterval(this.expiryTimer);
      }, 1000);
    }
  }

  private renderResend(): void {
    const secondsLeft = this.resendAt === null ? 0 : Math.max(0, Math.ceil((this.resendAt - Date.now()) / 1000));
    this.resendButton.disabled = secondsLeft > 0 || this.resending;
    this.resendButton.textContent = secondsLeft > 0 ? `Resend code in ${secondsLeft} s` : "Resend code";
  }
}
