import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, makeActor } from "./factories";
import { call } from "./helpers";
import { getPage, makeStaffLogin, postForm, SESSION_COOKIE, setCookieLine } from "./web-helpers";

let admin: Actor;

beforeAll(async () => {
  admin = await makeActor({ role: "admin" });
});

/** Every inline <script> of a page must be allowed by a hash in its CSP, and nothing else inline. */
async function inlineScriptsAllowed(html: string, csp: string): Promise<void> {
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => m[1] ?? "",
  );
  const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  for (const script of inline) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
    const hash = `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
    expect(scriptSrc).toContain(hash);
  }
}

describe("security headers", () => {
  it("gives JSON, CSV and errors a deny-all CSP and no caching", async () => {
    for (const [path, token] of [
      ["/api/v1/volunteers", admin.token],
      ["/api/v1/regions?parent=210000", admin.token],
      ["/api/v1/tallies?format=csv&region=210000", admin.token],
      ["/api/v1/no-such-route", admin.token],
      ["/api/v1/volunteers", undefined],
      ["/healthz", undefined],
      ["/openapi.json", undefined],
    ] as const) {
      const response = await call("GET", path, { token });
      expect(response.headers.get("Content-Security-Policy"), path).toContain("default-src 'none'");
      expect(response.headers.get("Cache-Control"), path).toBe("no-store");
      expect(response.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options"), path).toBe("SAMEORIGIN");
      expect(response.headers.get("Strict-Transport-Security"), path).toMatch(/max-age=\d+/);
      await response.arrayBuffer();
    }
  });

  it("serves the API browser from this site alone: no CDN, no inline script", async () => {
    const response = await call("GET", "/docs");
    expect(response.status).toBe(200);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    await inlineScriptsAllowed(html, csp);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets).toEqual(
      expect.arrayContaining(["/docs/assets/swagger-ui-bundle.js", "/docs/assets/init.js"]),
    );
    for (const path of assets) {
      // The platform serves these before the Worker runs; the test runtime through the binding.
      const asset = await env.ASSETS.fetch(`http://shuangyi.test${path}`);
      expect(asset.status, path).toBe(200);
      expect((await asset.text()).length, path).toBeGreaterThan(0);
    }
  });

  it("links every page to the site's icon, a static file (no 404 for /favicon.ico on each view)", async () => {
    for (const path of ["/events", "/staff/login"]) {
      const html = await (await getPage(path)).text();
      expect(html, path).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    }
    const icon = await env.ASSETS.fetch("http://shuangyi.test/favicon.svg");
    expect(icon.status).toBe(200);
    expect(await icon.text()).toContain("<svg");
  });

  it("gives every page a CSP without inline script, and staff pages no caching", async () => {
    for (const path of [
      "/events",
      "/staff/login",
      "/events/00000000-0000-4000-8000-000000000000",
    ]) {
      const response = await getPage(path);
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(response.headers.get("Cache-Control"), path).toBe("no-store");
      await inlineScriptsAllowed(await response.text(), csp);
    }
  });

  it("sets the staff session and language cookies HttpOnly, Secure and SameSite=Lax", async () => {
    const login = await makeStaffLogin({ role: "admin" });
    const response = await postForm("/staff/login?lang=en", [
      ["loginName", login.loginName],
      ["password", login.password],
    ]);
    const session = setCookieLine(response, SESSION_COOKIE) ?? "";
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const lang = setCookieLine(await getPage("/events?lang=en"), "lang") ?? "";
    expect(lang).toMatch(/HttpOnly/i);
    expect(lang).toMatch(/Secure/i);
    expect(lang).toMatch(/SameSite=Lax/i);
  });
});
