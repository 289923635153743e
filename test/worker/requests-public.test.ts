import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { makeCommunity, places } from "./factories";
import { clockAt } from "./helpers";
import {
  askByForm,
  askFields,
  freshMobile,
  makeStation,
  messagesOf,
  requestByCode,
} from "./requests-helpers";
import { getPage, postForm } from "./web-helpers";

const COUNTY = places.zhongshan;

describe("the public request form (问需)", () => {
  it("shows a station's form, under 20 KB and with no script", async () => {
    const community = await makeCommunity(COUNTY);
    const station = await makeStation(community.id, "中山路爱心驿站");
    const response = await getPage(`/ask?s=${station.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("中山路爱心驿站");
    expect(html).toContain("外卖骑手");
    expect(html).toContain(`name="s" value="${station.id}"`);
    expect(html).not.toContain("<script");
    expect(new TextEncoder().encode(html).length).toBeLessThan(20 * 1024);
  });

  it("offers the form in English", async () => {
    const community = await makeCommunity(COUNTY);
    const html = await (await getPage(`/ask?c=${community.id}&lang=en`)).text();
    expect(html).toContain("Delivery rider");
    expect(html).toContain("Ask for help");
  });

  it("answers 404 for a poster naming no known place", async () => {
    const response = await getPage("/ask?c=7d8f6a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a");
    expect(response.status).toBe(404);
  });

  it("draws a QR code that leads to the station's form", async () => {
    const community = await makeCommunity(COUNTY);
    const station = await makeStation(community.id);
    const response = await getPage(`/ask/qr.svg?s=${station.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("image/svg+xml");
    expect(await response.text()).toContain("<svg");
  });

  it("takes a request with a mobile: tracking code, private progress link, mobile masked and encrypted", async () => {
    const community = await makeCommunity(COUNTY);
    const station = await makeStation(community.id);
    const mobile = freshMobile();
    const { html, code, page } = await askByForm(askFields({ s: station.id }, { mobile }));
    expect(page.status).toBe(200);
    expect(code).toMatch(/^Q[A-Z0-9]{7}$/);
    expect(html).toContain(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    expect(html).not.toContain(mobile);
    expect(html).toContain("待答复");
    const row = await requestByCode(code);
    expect(row.stationId).toBe(station.id);
    expect(row.deskCommunityId).toBe(community.id);
    expect(row.mobileCiphertext).not.toContain(mobile);
    expect(row.consentAt).not.toBeNull();
    const messages = await messagesOf(row.id);
    expect(messages.map((m) => [m.audience, m.kind])).toEqual([["requester", "received"]]);
  });

  it("takes a request without a mobile and sends no message", async () => {
    const community = await makeCommunity(COUNTY);
    const { code } = await askByForm(askFields({ c: community.id }, { consent: null }));
    const row = await requestByCode(code);
    expect(row.mobileCiphertext).toBeNull();
    expect(await messagesOf(row.id)).toEqual([]);
  });

  it("counts the limits in Shanghai working days from arrival (Friday evening: due Wednesday 00:00)", async () => {
    const community = await makeCommunity(COUNTY);
    const friday = new Date("2026-12-04T20:00:00+08:00");
    const { code } = await askByForm(askFields({ c: community.id }), clockAt(friday));
    const row = await requestByCode(code);
    expect(row.answerDueAt.toISOString()).toBe("2026-12-08T16:00:00.000Z");
    expect(row.createdAt.toISOString()).toBe(friday.toISOString());
  });

  it("shows the form again with the reasons when something is missing (400)", async () => {
    const community = await makeCommunity(COUNTY);
    const response = await postForm(
      "/ask",
      askFields({ c: community.id }, { description: " ", mobile: "12345", consent: null }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("请填写具体情况");
    expect(html).toContain("请输入正确的手机号");
  });

  it("refuses a mobile without consent", async () => {
    const community = await makeCommunity(COUNTY);
    const response = await postForm(
      "/ask",
      askFields({ c: community.id }, { mobile: freshMobile(), consent: null }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("留手机号需同意留存说明");
  });

  it("answers 404 for an unknown private link", async () => {
    expect((await getPage(`/requests/${"A".repeat(32)}`)).status).toBe(404);
  });
});

describe("the public request form: hostile input", () => {
  it("shows a description with markup back escaped, on the form and the progress page", async () => {
    const community = await makeCommunity(COUNTY);
    const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>`;
    const refused = await postForm(
      "/ask",
      askFields({ c: community.id }, { description: hostile, mobile: "abc" }),
    );
    expect(refused.status).toBe(400);
    const form = await refused.text();
    expect(form).not.toContain("<script>alert");
    expect(form).toContain("&lt;script&gt;");
    const { html } = await askByForm(askFields({ c: community.id }, { description: hostile }));
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
  });

  it("answers 429 with Retry-After and the form as typed after too many forms from one address", async () => {
    const bindings = { ...env, SIGNUP_RATE_LIMIT_PER_CLIENT: "3" };
    const client = `2001:db8::${crypto.randomUUID().slice(0, 8)}`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let n = 0; n < 4; n++) {
      const ctx = createExecutionContext();
      last = await createApp().fetch(
        new Request("http://shuangyi.test/ask", {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: "http://shuangyi.test",
            "CF-Connecting-IP": client,
          },
          body: new URLSearchParams([["description", "路灯坏了"]]).toString(),
        }),
        bindings,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(last.status);
      if (n < 3) await last.arrayBuffer();
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await last?.text()).toContain("路灯坏了");
  });
});
