import type { ReactNode } from "react";

import styles from "./docs.module.css";

/**
 * A small, safe subset of CommonMark for OpenAPI descriptions: paragraphs, "- " lists, `code`, **bold** and
 * [links](https://…). No HTML is interpreted.
 */
export function Prose({ text, className }: { text: string | undefined; className?: string }) {
  if (!text?.trim()) return null;
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <div className={[styles.prose, className].filter(Boolean).join(" ")}>
      {blocks.map((block, index) => {
        const lines = block.split("\n");
        if (lines.every((line) => /^\s*[-*]\s+/.test(line))) {
          return (
            <ul key={index}>
              {lines.map((line, item) => (
                <li key={item}>{inline(line.replace(/^\s*[-*]\s+/, ""))}</li>
              ))}
            </ul>
          );
        }
        return <p key={index}>{inline(lines.join(" "))}</p>;
      })}
    </div>
  );
}

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const [whole, code, bold, label, href] = match;
    if (code !== undefined) out.push(<code key={match.index}>{code}</code>);
    else if (bold !== undefined) out.push(<strong key={match.index}>{bold}</strong>);
    else if (label !== undefined && href !== undefined && /^(https?:\/\/|\/|#)/.test(href)) {
      out.push(
        <a key={match.index} href={href}>
          {label}
        </a>,
      );
    } else out.push(whole);
    last = match.index + whole.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A URL path that may wrap after each "/" (and nowhere else). */
export function BreakablePath({ path }: { path: string }) {
  const segments = path.split("/");
  return (
    <>
      {segments.map((segment, index) => (
        <span key={index}>
          {index > 0 ? "/" : null}
          {segment}
          {index < segments.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </>
  );
}
