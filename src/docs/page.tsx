import type { Context, Hono } from "hono";
import { raw } from "hono/html";
import { generateSpecs } from "hono-openapi";
import type { AppEnv } from "../env";
import { openApiDocumentation } from "../openapi";

/**
 * `/docs`: the OpenAPI document rendered on the server, with no script and nothing from another
 * site (Swagger UI from a CDN showed a blank page offline and is unreliable from mainland China;
 * bundled, it alone would exceed the Worker's size budget). The index lists every operation by
 * tag; `?tag=<name>` shows that tag's operations in full: parameters, request body, responses.
 */

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const styles = `body{margin:0;font:15px/1.55 system-ui,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:60rem;margin:0 auto;padding:1rem}a{color:#0b5cad}h1{font-size:1.4rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}.op{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.5rem .75rem;margin:0 0 .75rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace;text-transform:uppercase}
code,pre{font-family:ui-monospace,monospace;font-size:.85rem}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:.5rem;border-radius:4px}
ul{padding-left:1.2rem}table{border-collapse:collapse}td,th{border:1px solid #d8dee4;padding:.2rem .4rem;text-align:left}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}`;

let cached: Promise<Operation[]> | undefined;

/** Every operation of the app's OpenAPI document, in path order (computed once per isolate). */
async function operationsOf(app: Hono<AppEnv>): Promise<Operation[]> {
  const spec = await generateSpecs(app, { documentation: openApiDocumentation });
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown> | undefined)?.[method];
      if (operation) operations.push({ ...(operation as Operation), method, path });
    }
  }
  return operations;
}

const tagOf = (operation: Operation) => operation.tags?.[0] ?? "other";
const anchorOf = (operation: Operation) =>
  `${operation.method}-${operation.path.replace(/[^A-Za-z0-9]+/g, "-")}`;

function OperationDetails(props: { operation: Operation }) {
  const { operation } = props;
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  return (
    <section class="op" id={anchorOf(operation)}>
      <h3>
        <span class="m">{operation.method}</span> <code>{operation.path}</code>
      </h3>
      {operation.summary && <p>{operation.summary}</p>}
      {operation.description && <p>{operation.description}</p>}
      {(operation.parameters?.length ?? 0) > 0 && (
        <table>
          <caption>Parameters</caption>
          <tbody>
            {operation.parameters?.map((parameter) => (
              <tr>
                <th scope="row">
                  <code>{parameter.name}</code>
                </th>
                <td>{parameter.in}</td>
                <td>{parameter.required ? "required" : "optional"}</td>
                <td>
                  <code>{JSON.stringify(parameter.schema ?? {})}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body && (
        <>
          <p>Request body (application/json):</p>
          <pre>{JSON.stringify(body, null, 2)}</pre>
        </>
      )}
      <ul>
        {Object.entries(operation.responses ?? {}).map(([status, response]) => (
          <li>
            <code>{status}</code> {response.description}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Index(props: { operations: Operation[] }) {
  const tags = [...new Set(props.operations.map(tagOf))];
  return (
    <>
      {tags.map((tag) => (
        <section>
          <h2>
            <a href={`/docs?tag=${encodeURIComponent(tag)}`}>{tag}</a>
          </h2>
          <ul>
            {props.operations
              .filter((operation) => tagOf(operation) === tag)
              .map((operation) => (
                <li>
                  <a href={`/docs?tag=${encodeURIComponent(tag)}#${anchorOf(operation)}`}>
                    <span class="m">{operation.method}</span> <code>{operation.path}</code>
                  </a>{" "}
                  {operation.summary}
                </li>
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** The `/docs` handler for `app` (whose routes the document describes). */
export function docsPage(app: Hono<AppEnv>) {
  return async (c: Context<AppEnv>) => {
    cached ??= operationsOf(app).catch((error) => {
      cached = undefined;
      throw error;
    });
    const operations = await cached;
    const tag = c.req.query("tag");
    const shown = tag ? operations.filter((operation) => tagOf(operation) === tag) : undefined;
    const { info } = openApiDocumentation;
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    return c.html(
      <>
        {raw("<!DOCTYPE html>")}
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{tag ? `${tag} · ${info.title}` : info.title}</title>
            <style>{raw(styles)}</style>
          </head>
          <body>
            <main>
              <h1>{info.title}</h1>
              <p>{info.description}</p>
              <p>
                Every request needs <code>Authorization: Bearer &lt;token&gt;</code> unless it says
                public. The machine-readable document: <a href="/openapi.json">/openapi.json</a>.
                {tag && (
                  <>
                    {" "}
                    <a href="/docs">All operations</a>
                  </>
                )}
              </p>
              {shown ? (
                shown.map((operation) => <OperationDetails operation={operation} />)
              ) : (
                <Index operations={operations} />
              )}
            </main>
          </body>
        </html>
      </>,
      shown && shown.length === 0 ? 404 : 200,
    );
  };
}
