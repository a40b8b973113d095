/** Small DOM helpers for the framework-free flow (flow.ts, used by /login and <textgate-verify>): parts by `data-part`, clones of the page's <template>s. */

export function part<T extends HTMLElement = HTMLElement>(root: ParentNode, name: string): T {
  const element = root.querySelector<T>(`[data-part="${name}"]`);
  if (!element) throw new Error(`The flow markup has no part "${name}"`);
  return element;
}

/** The first element of the page's `<template data-template="name">`, cloned. */
export function fromTemplate<T extends HTMLElement = HTMLElement>(root: ParentNode, name: string): T {
  const template = root.querySelector<HTMLTemplateElement>(`template[data-template="${name}"]`);
  const element = template?.content.firstElementChild?.cloneNode(true);
  if (!element) throw new Error(`The flow markup has no template "${name}"`);
  return element as T;
}

/**
 * Shows `text` in `slot` from the template, or empties the slot for `null`. The same text stays put (no
 * repeated announcement while typing) unless `again` asks for a fresh element, which a screen reader
 * announces even when the text repeats (the same error after another attempt). Returns the text element.
 */
export function showMessage(root: ParentNode, slot: HTMLElement, template: string, text: string | null, again = false): HTMLElement | null {
  const current = slot.firstElementChild as HTMLElement | null;
  const currentText = current ? (current.querySelector("p") ?? current) : null;
  if (text !== null && !again && currentText?.textContent === text) return currentText;
  slot.replaceChildren();
  if (text === null) return null;
  const element = fromTemplate(root, template);
  const target = element.querySelector("p") ?? element;
  target.textContent = text;
  slot.append(element);
  return target;
}
