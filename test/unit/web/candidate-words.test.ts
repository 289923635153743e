import { describe, expect, it } from "vitest";
import type { Explanation } from "../../../src/matching/explain";
import { en } from "../../../src/web/i18n/en";
import { zh } from "../../../src/web/i18n/zh";
import { candidateWords } from "../../../src/web/needs/candidate-words";

const names = { "210103": "沈河区", "210100": "沈阳市", "210202": "中山区" };

function explanation(overrides: Partial<Explanation> = {}): Explanation {
  return {
    worker: { nearness: "county", code: "210103" },
    team: { nearness: "county", code: "210103", size: 12 },
    certificate: { held: "intermediate", above: false },
    weekLeft: { left: 2, thisWeek: true },
    skills: { covered: ["elderly_care"], missing: [] },
    pastWork: { worker: 0, team: 0 },
    ...overrides,
  };
}

describe("candidateWords", () => {
  it("says a same-county worker with an intermediate certificate meets the need, and the week's room", () => {
    const words = candidateWords(zh, "zh", explanation(), names);
    expect(words.worker).toEqual([
      "同在沈河区",
      "持中级证书，满足要求",
      "本周还可接 2 场",
      "首次来本社区服务",
      "具备所需技能：养老照护",
    ]);
    expect(words.team).toEqual(["服务队同在沈河区，12 人"]);
  });

  it("names the shared city, a higher certificate, another week and past work", () => {
    const words = candidateWords(
      zh,
      "zh",
      explanation({
        worker: { nearness: "city", code: "210100" },
        certificate: { held: "senior", above: true },
        weekLeft: { left: 1, thisWeek: false },
        pastWork: { worker: 3, team: 2 },
      }),
      names,
    );
    expect(words.worker.slice(0, 4)).toEqual([
      "同在沈阳市",
      "持高级证书，高于要求",
      "活动当周还可接 1 场",
      "曾在本社区带过 3 场活动",
    ]);
    expect(words.team).toEqual(["服务队同在沈河区，12 人", "服务队曾来本社区 2 次"]);
  });

  it("says where someone from another city comes from, and which skills are missing", () => {
    const words = candidateWords(
      zh,
      "zh",
      explanation({
        worker: { nearness: "province", code: "210202" },
        skills: { covered: ["elderly_care"], missing: ["first_aid", "legal_aid"] },
      }),
      names,
    );
    expect(words.worker[0]).toBe("来自中山区");
    expect(words.worker[4]).toBe("缺少：卫生救护、法律援助");
  });

  it("speaks English on the English pages", () => {
    const words = candidateWords(en, "en", explanation(), { "210103": "Shenhe District" });
    expect(words.worker.slice(0, 3)).toEqual([
      "Also in Shenhe District",
      "Intermediate certificate: meets the requirement",
      "Can take 2 more events this week",
    ]);
  });
});
