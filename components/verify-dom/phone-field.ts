/**
 * The country picker and phone number field of the framework-free flow (flow.ts: /login and <textgate-verify>), with the behaviour of <PhoneInput>: as-you-type
 * formatting once the phone library has loaded, a "+" number selects its country, and the message for an
 * impossible number appears when the field is left or the form submitted, never while typing.
 */
import { analysePhone, loadedPhoneLib, loadPhoneLib } from "../verification/phone-analysis.ts";

import { showMessage } from "./dom.ts";

export interface PhoneValue {
  /** E.164 when the number is possible, else null. */
  e164: string | null;
  country: string;
  /** What the field shows. */
  raw: string;
}

export class PhoneField {
  private touched = false;
  private serverError: string | null = null;

  constructor(
    private readonly root: ParentNode,
    private readonly country: HTMLSelectElement,
    private readonly input: HTMLInputElement,
    private readonly messageSlot: HTMLElement,
  ) {
    input.addEventListener("input", (event) => this.typed(event as InputEvent));
    input.addEventListener("blur", () => {
      if (input.value.trim() !== "") this.touch();
    });
    country.addEventListener("change", () => this.countryChosen());
    loadPhoneLib()
      .then(() => this.reformat())
      .catch(() => {
        // Offline or a failed chunk: the plain E.164 check keeps the field usable.
      });
  }

  value(): PhoneValue {
    const raw = this.input.value;
    return { e164: analysePhone(loadedPhoneLib(), raw, this.country.value).e164, country: this.country.value, raw };
  }

  /** Shows the validation message (the form was submitted). */
  touch(): void {
    this.touched = true;
    this.render();
  }

  /** A refusal from the server (e.g. not a valid number there), shown like a validation message. */
  setServerError(message: string | null): void {
    this.serverError = message;
    this.render();
    if (message) this.input.focus();
  }

  focus(): void {
    this.input.focus();
  }

  setDisabled(disabled: boolean): void {
    this.input.disabled = disabled;
    this.country.disabled = disabled;
  }

  private typed(event: InputEvent): void {
    const value = this.input.value;
    const atEnd = this.input.selectionStart === null || this.input.selectionStart === value.length;
    const next = analysePhone(loadedPhoneLib(), value, this.country.value);
    // Reformat only while typing at the end: deleting a bracket or editing the middle keeps what was typed.
    if (atEnd && !(event.inputType ?? "").startsWith("delete") && next.formatted !== value) this.input.value = next.formatted;
    if (next.detectedCountry && next.detectedCountry !== this.country.value) this.country.value = next.detectedCountry;
    if (this.touched && next.problem === null) this.touched = false;
    this.serverError = null;
    this.render();
  }

  private countryChosen(): void {
    // A national number reads differently in another country: format it again.
    if (!this.input.value.trimStart().startsWith("+")) this.reformat();
    this.serverError = null;
    this.render();
  }

  /** Formats what was typed before the library arrived (or before the country changed). */
  private reformat(): void {
    if (this.input.value === "") return;
    const next = analysePhone(loadedPhoneLib(), this.input.value, this.country.value);
    this.input.value = next.formatted;
    if (next.detectedCountry) this.country.value = next.detectedCountry;
    this.render();
  }

  private render(): void {
    const raw = this.input.value;
    const validation = this.touched
      ? raw.trim() === ""
        ? "Enter a phone number."
        : analysePhone(loadedPhoneLib(), raw, this.country.value).problem
      : null;
    const message = this.serverError ?? validation;
    const shown = showMessage(this.root, this.messageSlot, "phone-message", message);
    if (shown) {
      this.input.setAttribute("aria-invalid", "true");
      this.input.setAttribute("aria-describedby", shown.id);
    } else {
      this.input.removeAttribute("aria-invalid");
      this.input.removeAttribute("aria-describedby");
    }
  }
}
