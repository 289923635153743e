import { describe, expect, it } from "vitest";
import { at, makeActor, makeCommunity, makeEvent, makeSocialWorker, places } from "./factories";
import { call, clockAt } from "./helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

// 2012-09 in 沈河区 is this file's alone (period-locks.test.ts has 2012-01 … 2012-07).
const county = places.shenhe;

describe("the closing-months page", () => {
  it("lists the unsigned outcomes and closes only once the department confirms", async () => {
    const community = await makeCommunity(county);
    const worker = await makeSocialWorker(county);
    const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const event = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at("2012-09-10 09:00"),
      end: at("2012-09-10 11:00"),
    });
    const put = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: lead.token,
      json: { personTimes: { residents: 8 }, volunteersAttended: 2 },
      headers: clockAt(at("2013-01-01 09:00")),
    });
    expect(put.status).toBe(201);
    const cookie = await signIn(await makeStaffLogin({ role: "department", regionCode: county }));

    const fields: [string, string][] = [
      ["region", county],
      ["month", "2012-09"],
    ];
    const asked = await postForm("/staff/periods", fields, { cookie });
    expect(asked.status).toBe(409);
    const html = await asked.text();
    expect(html).toContain("2012-09 还有 1 条服务记录待签认");
    expect(html).toContain(event.title);
    expect(html).toContain('name="excludeUnsigned" value="1"');
    const before = await getPage(`/staff/periods?region=${county}`, { cookie });
    expect(await before.text()).not.toContain(">2012-09<");

    const closed = await postForm("/staff/periods", [...fields, ["excludeUnsigned", "1"]], {
      cookie,
    });
    expect(closed.status).toBe(303);
    const location = closed.headers.get("Location") ?? "";
    expect(location).toContain("closed=2012-09");
    const after = await (await getPage(location, { cookie })).text();
    expect(after).toContain("2012-09 已关账。");
    expect(after).toContain("1 条（关账时尚未签认，未计入该月数据）");
    expect(after).toContain(event.title);
    // The dashboard says why that outcome will not count.
    const dashboard = await getPage(`/staff/tallies?region=${county}&from=2012-09&to=2012-09`, {
      cookie,
    });
    expect(await dashboard.text()).toContain("其中 1 条所在月份已关账");
  });

  it("answers a month that is not one with the form and the reason (400)", async () => {
    const cookie = await signIn(await makeStaffLogin({ role: "department", regionCode: county }));
    const response = await postForm(
      "/staff/periods",
      [
        ["region", county],
        ["month", "2012-13"],
      ],
      { cookie },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("请填写地区代码");
  });

  it("keeps the form and says so when the region is outside the department's area (404)", async () => {
    const cookie = await signIn(await makeStaffLogin({ role: "department", regionCode: county }));
    const response = await postForm(
      "/staff/periods",
      [
        ["region", places.zhongshan],
        ["month", "2012-10"],
      ],
      { cookie },
    );
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain(`<a href="#region">地区代码 ${places.zhongshan} 不在您的管辖范围内`);
    // What was typed stays in the form.
    expect(html).toContain(`value="${places.zhongshan}"`);
    expect(html).toContain('value="2012-10"');
    expect(html).toContain('aria-invalid="true" aria-describedby="region-error"');
    // The same by a link: the page and the reason, not a bare 404.
    const linked = await getPage(`/staff/periods?region=${places.zhongshan}`, { cookie });
    expect(linked.status).toBe(404);
    const page = await linked.text();
    expect(page).toContain(`id="region-error">地区代码 ${places.zhongshan} 不在您的管辖范围内`);
    expect(page).toContain('<form class="stack" method="post" action="/staff/periods">');
  });
});
