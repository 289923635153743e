import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  deliverRequestMessages,
  enqueueRequestMessage,
  requestText,
} from "../../src/requests/messages";
import { makeCommunity, places } from "./factories";
import { clockAt, testKeys, withDb } from "./helpers";
import { askByForm, askFields, freshMobile, requestByCode } from "./requests-helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

const COUNTY = places.zhongshan;
/** Sunday 6 December 2026, 10:00 in Shanghai: two working days end on Tuesday 8th, fifteen on Friday 25th. */
const SUNDAY = new Date("2026-12-06T10:00:00+08:00");

describe("a request's time limits as written", () => {
  it("names the last day with 24:00 on the progress page, not the next day's 00:00", async () => {
    const community = await makeCommunity(COUNTY);
    const { html, link } = await askByForm(askFields({ c: community.id }), clockAt(SUNDAY));
    expect(html).toContain("2026年12月8日周二 24:00 前");
    expect(html).toContain("2026年12月25日周五 24:00 前");
    expect(html).not.toContain("00:00");
    const english = await (await getPage(`${link}?lang=en`, { headers: clockAt(SUNDAY) })).text();
    expect(english).toContain("by the end of Tue 8 Dec 2026");
    expect(english).toContain("by the end of Fri 25 Dec 2026");
  });

  it("names the last day with 24:00 on the desk's page of the request", async () => {
    const community = await makeCommunity(COUNTY);
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: community.id }),
    );
    const { code } = await askByForm(askFields({ c: community.id }), clockAt(SUNDAY));
    const { id } = await requestByCode(code);
    const page = await (
      await getPage(`/staff/requests/${id}`, { cookie, headers: clockAt(SUNDAY) })
    ).text();
    expect(page).toContain("2026年12月8日周二 24:00 前");
    expect(page).toContain("2026年12月25日周五 24:00 前");
  });

  it("names the last day with 24:00 in the desk's reminder", async () => {
    const { answerDueAt } = await requestByCode(
      (await askByForm(askFields({ c: (await makeCommunity(COUNTY)).id }), clockAt(SUNDAY))).code,
    );
    const text = requestText.reminder("QABCDEFG", answerDueAt);
    expect(text).toContain("2026年12月8日周二 24:00 前");
    expect(text).not.toContain("00:00");
  });
});

describe("the requester's SMS", () => {
  it("ends the reply with a full stop before the progress link", async () => {
    const community = await makeCommunity(COUNTY);
    const mobile = freshMobile();
    const { code } = await askByForm(askFields({ c: community.id }, { mobile }));
    const { id } = await requestByCode(code);
    const now = new Date();
    await withDb((db) =>
      enqueueRequestMessage(db, id, "requester", "answered", now, {
        text: requestText.answered(code, "已联系物业，明天上午上门维修，谢谢"),
      }),
    );
    const texts: string[] = [];
    const sender = {
      async send(message: { to: string; text: string }) {
        texts.push(message.text);
      },
    };
    const keys = await testKeys();
    await withDb((db) =>
      deliverRequestMessages(db, keys, sender, {
        now,
        publicOrigin: env.PUBLIC_ORIGIN,
        requestIds: [id],
      }),
    );
    const answered = texts.find((text) => text.includes("答复："));
    expect(answered).toMatch(
      /答复：已联系物业，明天上午上门维修，谢谢。进度查询：http:\/\/shuangyi\.test\/requests\/[\w-]{20,}$/,
    );
  });

  it("adds no second full stop to a text that already ends a sentence", async () => {
    const { endSentence } = await import("../../src/requests/messages");
    expect(endSentence("已办结。")).toBe("已办结。");
    expect(endSentence("好的！")).toBe("好的！");
  });
});

describe("what the requester is told about the tracking code (查询码)", () => {
  it("promises progress by the private link, and the code only for asking the community", async () => {
    const community = await makeCommunity(COUNTY);
    const form = await (await getPage(`/ask?c=${community.id}`)).text();
    expect(form).not.toContain("凭查询码");
    expect(form).toContain("提交后请收藏进度页的链接，凭链接查看进度");
    const { html, code } = await askByForm(askFields({ c: community.id }));
    expect(html).not.toContain("记下查询码，随时查看");
    expect(html).toContain("记下查询码，向社区询问时报出即可");
    expect(html).toContain(code);
  });

  it("heads the progress page with the request form, not finding one's sign-ups", async () => {
    const community = await makeCommunity(COUNTY);
    const { html } = await askByForm(askFields({ c: community.id }));
    expect(html).not.toContain('href="/find"');
    expect(html).not.toContain("找回报名");
    expect(html).toContain('<a href="/ask">我有需求</a>');
  });
});
