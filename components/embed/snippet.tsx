import { CodeBlock } from "@/components/ui/code-block.tsx";
import { CopyButton } from "@/components/ui/copy-button.tsx";

/** A code block with a "Copy" button for the embed page. */
export function Snippet({ caption, code }: { caption: string; code: string }) {
  return <CodeBlock caption={caption} code={code} actions={<CopyButton text={code} accessibleLabel={`Copy: ${caption}`} />} />;
}
