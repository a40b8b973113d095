import { redirect } from "next/navigation";

/** /docs has one page for now: the API reference. */
export default function DocsPage() {
  redirect("/docs/api");
}
