import { FieldsTable } from "./fields-table.tsx";
import { LazyDetails } from "./lazy-details.tsx";
import { HTTP_METHODS, type OpenApiDocument, type Parameter } from "./openapi-types.ts";
import { OperationSection, type OperationEntry } from "./operation-section.tsx";
import { BreakablePath, Prose } from "./prose.tsx";
import { deref } from "./schema.ts";
import styles from "./docs.module.css";

export interface ReferenceViewProps {
  doc: OpenApiDocument;
  /** The page's origin, e.g. "http://localhost:3000", for the curl examples. */
  origin: string;
}

/** The whole reference: overview, authentication, a table of contents and one section per path and method. */
export function ReferenceView({ doc, origin }: ReferenceViewProps) {
  const basePath = serverBasePath(doc, origin);
  const entries = collectOperations(doc, basePath);
  const groups = groupByTag(doc, entries);
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  const schemas = Object.entries(doc.components?.schemas ?? {});

  return (
    <div className={styles.reference}>
      <nav className={styles.toc} aria-label="Endpoints">
        <p className={styles.tocTitle}>Endpoints</p>
        {groups.map((group) => (
          <div key={group.name}>
            {groups.length > 1 ? <p className={styles.tocGroup}>{group.name}</p> : null}
            <ul>
              {group.entries.map((entry) => (
                <li key={entry.id}>
                  <a href={`#${entry.id}`}>
                    <span className={styles.tocMethod} data-method={entry.method}>
                      {entry.method.toUpperCase()}
                    </span>{" "}
                    <span className={styles.tocPath}>
                      <BreakablePath path={entry.fullPath} />
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>

      <div className={styles.content}>
        <section aria-labelledby="overview-title" className={styles.overview}>
          <h2 id="overview-title">
            {doc.info?.title ?? "API"}
            {doc.info?.version ? <span className={styles.version}> version {doc.info.version}</span> : null}
          </h2>
          {doc.info?.summary ? <p>{doc.info.summary}</p> : null}
          <Prose text={doc.info?.description} />
          <p className="muted">
            Base URL: <code>{origin + basePath}</code>
          </p>
        </section>

        {schemes.length ? (
          <section aria-labelledby="auth-title">
            <h2 id="auth-title">Authentication</h2>
            <dl className={styles.schemes}>
              {schemes.map(([name, raw]) => {
                const scheme = deref(doc, raw);
                return (
                  <div key={name}>
                    <dt>
                      <code>{name}</code>
                    </dt>
                    <dd>
                      {scheme?.type === "http" && scheme.scheme?.toLowerCase() === "bearer" ? (
                        <p>
                          Send the API key in the <code>Authorization</code> header: <code>Authorization: Bearer &lt;key&gt;</code>
                          {scheme.bearerFormat ? ` (${scheme.bearerFormat})` : null}.
                        </p>
                      ) : (
                        <p>
                          {scheme?.type ?? "unknown"}
                          {scheme?.scheme ? ` ${scheme.scheme}` : null}
                          {scheme?.name ? ` (${scheme.in ?? ""} ${scheme.name})` : null}
                        </p>
                      )}
                      <Prose text={scheme?.description} />
                    </dd>
                  </div>
                );
              })}
            </dl>
          </section>
        ) : null}

        {groups.map((group, index) => (
          <section key={group.name} aria-labelledby={`group-${index}-title`} className={styles.group}>
            <h2 id={`group-${index}-title`}>{group.name}</h2>
            <Prose text={group.description} />
            {group.entries.map((entry) => (
              <OperationSection key={entry.id} doc={doc} entry={entry} baseUrl={origin + basePath} origin={origin} />
            ))}
          </section>
        ))}

        {entries.length === 0 ? <p>The OpenAPI document lists no operations.</p> : null}

        {schemas.length ? (
          <section aria-labelledby="schemas-title" className={styles.group}>
            <h2 id="schemas-title">Schemas</h2>
            {schemas.map(([name, schema]) => (
              <div key={name} id={`schema-${slug(name)}`}>
                <LazyDetails summary={<code>{name}</code>}>
                  {typeof schema === "object" ? <Prose text={schema.description} /> : null}
                  <FieldsTable doc={doc} schema={schema} caption={`Fields of ${name}`} />
                </LazyDetails>
              </div>
            ))}
          </section>
        ) : null}
      </div>
    </div>
  );
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[{}]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The path part of the first server URL ("/api/v1"), or "" when the paths are absolute already. */
function serverBasePath(doc: OpenApiDocument, origin: string): string {
  const url = doc.servers?.[0]?.url;
  if (!url) return "";
  try {
    return new URL(url.replace(/\{[^}]+\}/g, "x"), origin).pathname.replace(/\/$/, "");
  } catch {
    return "";
  }
}

function collectOperations(doc: OpenApiDocument, basePath: string): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    const shared = (item.parameters ?? []).map((param) => deref<Parameter>(doc, param)).filter((param) => param !== undefined);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((param) => deref<Parameter>(doc, param)).filter((param) => param !== undefined);
      const parameters = [
        ...shared.filter((param) => !own.some((o) => o.name === param.name && o.in === param.in)),
        ...own,
      ];
      let id = slug(`${method} ${path}`);
      while (ids.has(id)) id += "-x";
      ids.add(id);
      entries.push({
        id,
        method,
        path,
        fullPath: basePath + path,
        operation: { ...operation, description: operation.description ?? item.description, summary: operation.summary ?? item.summary },
        parameters,
        tag: operation.tags?.[0] ?? "Endpoints",
      });
    }
  }
  return entries;
}

function groupByTag(doc: OpenApiDocument, entries: OperationEntry[]) {
  const order = new Map<string, number>((doc.tags ?? []).map((tag, index) => [tag.name, index]));
  const groups = new Map<string, OperationEntry[]>();
  for (const entry of entries) {
    const list = groups.get(entry.tag) ?? [];
    list.push(entry);
    groups.set(entry.tag, list);
  }
  return [...groups.entries()]
    .map(([name, list], index) => ({
      name,
      entries: list,
      description: doc.tags?.find((tag) => tag.name === name)?.description,
      rank: order.get(name) ?? 1000 + index,
    }))
    .sort((a, b) => a.rank - b.rank);
}
