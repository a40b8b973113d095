import { CodeBlock } from "@/components/ui/code-block.tsx";
import { CopyButton } from "@/components/ui/copy-button.tsx";

import type { EmbedSnippet } from "./snippets.ts";

/** A code block with a "Copy" button for the embed page. */
export function Snippet({ snippet: { caption, code } }: { snippet: EmbedSnippet }) {
  return <CodeBlock caption={caption} code={code} actions={<CopyButton text={code} accessibleLabel={`Copy: ${caption}`} />} />;
}
