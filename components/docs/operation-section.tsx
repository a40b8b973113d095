import { CodeBlock } from "@/components/ui/code-block.tsx";
import { CopyButton } from "@/components/ui/copy-button.tsx";

import { curlCommand, jsonMedia, recordedAnswer, recordedCurl } from "./example.ts";
import { ScrollRegion } from "../ui/scroll-region.tsx";
import { FieldsTable } from "./fields-table.tsx";
import { LazyDetails } from "./lazy-details.tsx";
import type { HttpMethod, OpenApiDocument, Operation, Parameter, ResponseObject, SecurityRequirement } from "./openapi-types.ts";
import { BreakablePath, inline, Prose } from "./prose.tsx";
import { constraintsOf, deref, refName, typeLabel } from "./schema.ts";
import styles from "./docs.module.css";

export interface OperationEntry {
  id: string;
  method: HttpMethod;
  path: string;
  /** The path as the client calls it: the server's base path plus `path`. */
  fullPath: string;
  operation: Operation;
  parameters: Parameter[];
  tag: string;
}

export interface OperationSectionProps {
  doc: OpenApiDocument;
  entry: OperationEntry;
  baseUrl: string;
  /** The page's origin: recorded examples carry absolute paths. */
  origin: string;
}

export function OperationSection({ doc, entry, baseUrl, origin }: OperationSectionProps) {
  const { operation, method, parameters } = entry;
  const security = operation.security ?? doc.security ?? [];
  const needsAuth = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
  const body = deref(doc, operation.requestBody);
  const bodyMedia = jsonMedia(body?.content);
  const responses = Object.entries(operation.responses ?? {});
  const curl = curlCommand({ doc, method, baseUrl, path: entry.path, operation, parameters, needsAuth });
  const titleId = `${entry.id}-title`;

  return (
    <section id={entry.id} className={styles.operation} aria-labelledby={titleId}>
      <h3 id={titleId} className={styles.operationTitle}>
        <span className={styles.method} data-method={method}>
          {method.toUpperCase()}
        </span>{" "}
        <code className={styles.path}>
          <BreakablePath path={entry.fullPath} />
        </code>
      </h3>
      {operation.summary ? <p className={styles.summary}>{operation.summary}</p> : null}
      {operation.deprecated ? <p className={styles.deprecated}>Deprecated: avoid in new code.</p> : null}
      <Prose text={operation.description} />

      <p className={styles.auth}>
        <strong>Authentication: </strong>
        {needsAuth ? describeSecurity(doc, security) : "none"}
      </p>

      {parameters.length ? (
        <>
          <h4>Parameters</h4>
          <ScrollRegion label={`Parameters of ${method.toUpperCase()} ${entry.fullPath}`}>
          <table className={styles.table}>
            <caption className="sr-only">
              Parameters of {method.toUpperCase()} {entry.fullPath}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
                <th scope="col">Required</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((param) => {
                const constraints = constraintsOf(doc, param.schema);
                return (
                  <tr key={`${param.in}:${param.name}`}>
                    <th scope="row" className={styles.fieldName}>
                      <code>{param.name}</code>
                    </th>
                    <td>{param.in}</td>
                    <td>
                      <code className={styles.type}>{typeLabel(doc, param.schema)}</code>
                    </td>
                    <td>{param.required ? <strong>required</strong> : <span className="muted">optional</span>}</td>
                    <td>
                      {param.description ? <span className={styles.fieldDescription}>{inline(param.description)}</span> : null}
                      {constraints.length ? (
                        <ul className={styles.constraints}>
                          {constraints.map((constraint) => (
                            <li key={constraint}>{inline(constraint)}</li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </ScrollRegion>
        </>
      ) : null}

      {body ? (
        <>
          <h4>Request body</h4>
          <p className="muted">
            {bodyMedia ? <code>{bodyMedia.type}</code> : "No JSON body"}
            {body.required ? ", required" : ", optional"}
            {bodyMedia?.media.schema && typeof bodyMedia.media.schema === "object" && bodyMedia.media.schema.$ref
              ? ` (${refName(bodyMedia.media.schema.$ref)})`
              : null}
          </p>
          <Prose text={body.description} />
          {bodyMedia ? <FieldsTable doc={doc} schema={bodyMedia.media.schema} caption={`Request body fields of ${method.toUpperCase()} ${entry.fullPath}`} /> : null}
        </>
      ) : null}

      {responses.length ? (
        <>
          <h4>Responses</h4>
          <ScrollRegion label={`Responses of ${method.toUpperCase()} ${entry.fullPath}`}>
          <table className={styles.table}>
            <caption className="sr-only">Responses of {method.toUpperCase()} {entry.fullPath}</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Description</th>
                <th scope="col">Body</th>
              </tr>
            </thead>
            <tbody>
              {responses.map(([status, raw]) => {
                const response = deref<ResponseObject>(doc, raw);
                const media = jsonMedia(response?.content);
                return (
                  <tr key={status}>
                    <th scope="row">
                      <span className={styles.status} data-status={status.charAt(0)}>
                        {status}
                      </span>
                    </th>
                    <td>{response?.description ? inline(response.description) : null}</td>
                    <td>{media ? <code className={styles.type}>{typeLabel(doc, media.media.schema, 1)}</code> : <span className="muted">none</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </ScrollRegion>
          {responses.map(([status, raw]) => {
            const response = deref<ResponseObject>(doc, raw);
            const media = jsonMedia(response?.content);
            if (!media || !status.startsWith("2")) return null;
            return (
              <LazyDetails key={status} summary={<>Fields of the {status} response</>}>
                <FieldsTable doc={doc} schema={media.media.schema} caption={`Fields of the ${status} response of ${method.toUpperCase()} ${entry.fullPath}`} />
              </LazyDetails>
            );
          })}
        </>
      ) : null}

      {operation["x-examples"]?.length ? (
        <>
          <h4>Examples</h4>
          <p className="muted">Real requests and this server&apos;s answers (ids, codes and times differ on each run).</p>
          {operation["x-examples"].map((example, index) => {
            const request = recordedCurl(example, origin);
            return (
              <LazyDetails
                key={index}
                initiallyOpen={index === 0}
                summary={
                  <>
                    <span className={styles.status} data-status={String(example.response.status).charAt(0)}>
                      {example.response.status}
                    </span>{" "}
                    {example.title}
                  </>
                }
              >
                <CodeBlock
                  caption="Request"
                  code={request}
                  actions={<CopyButton text={request} accessibleLabel={`Copy the request: ${example.title}`} />}
                />
                <CodeBlock caption={`Answer ${example.response.status}`} code={recordedAnswer(example)} />
              </LazyDetails>
            );
          })}
        </>
      ) : (
        <>
          <h4>Example</h4>
          <CodeBlock
            caption="curl"
            code={curl}
            actions={<CopyButton text={curl} accessibleLabel={`Copy the curl example for ${method.toUpperCase()} ${entry.fullPath}`} />}
          />
        </>
      )}
    </section>
  );
}

function describeSecurity(doc: OpenApiDocument, security: SecurityRequirement[]): string {
  const names = [...new Set(security.flatMap((requirement) => Object.keys(requirement)))];
  return names
    .map((name) => {
      const scheme = deref(doc, doc.components?.securitySchemes?.[name]);
      if (scheme?.type === "http" && scheme.scheme?.toLowerCase() === "bearer") return "API key as a bearer token (Authorization: Bearer <key>)";
      if (scheme?.type === "apiKey") return `API key in the ${scheme.in ?? ""} ${scheme.name ?? name}`.replace(/\s+/g, " ");
      if (scheme?.type === "http" && scheme.description) return `HTTP ${scheme.scheme ?? ""}: ${scheme.description}`;
      if (scheme?.type === "http") return `HTTP ${scheme.scheme ?? ""} authentication`;
      if (scheme?.description) return scheme.description;
      return name;
    })
    .join(" or ");
}
