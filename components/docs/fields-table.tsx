import type { OpenApiDocument, Schema } from "./openapi-types.ts";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { inline } from "./prose.tsx";
import { constraintsOf, fieldRows, typeLabel } from "./schema.ts";
import styles from "./docs.module.css";

/** The fields of a request or response body as a table; a non-object schema is described in one line. */
export function FieldsTable({ doc, schema, caption }: { doc: OpenApiDocument; schema: Schema | undefined; caption: string }) {
  const rows = fieldRows(doc, schema);
  if (!rows.length) {
    const constraints = constraintsOf(doc, schema);
    return (
      <p>
        <span className="sr-only">{caption}: </span>
        Type <code>{typeLabel(doc, schema)}</code>
        {constraints.length ? <> ({inline(constraints.join(", "))})</> : null}
      </p>
    );
  }
  return (
    <ScrollRegion label={caption}>
    <table className={styles.table}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path}>
            <th scope="row" className={styles.fieldName} data-depth={Math.min(row.depth, 6)}>
              <code>{row.path}</code>
              {row.deprecated ? <span className={styles.badge}>deprecated</span> : null}
            </th>
            <td>
              <code className={styles.type}>{row.type}</code>
            </td>
            <td>{row.required ? <strong>required</strong> : <span className="muted">optional</span>}</td>
            <td>
              {row.description ? <span className={styles.fieldDescription}>{inline(row.description)}</span> : null}
              {row.constraints.length ? (
                <ul className={styles.constraints}>
                  {row.constraints.map((constraint) => (
                    <li key={constraint}>{inline(constraint)}</li>
                  ))}
                </ul>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </ScrollRegion>
  );
}
