import { describe, expect, it } from "vitest";
import {
  acceptedValues,
  everydayWords,
  normaliseWord,
  readWord,
  type VocabularyName,
} from "../../../src/domain/synonyms";
import { certificateLevelLabels, serviceTypeLabels } from "../../../src/domain/vocabulary";

describe("the table of everyday words", () => {
  it("reads the words people use: 中级 is intermediate, 初级社工 junior, 高级 senior", () => {
    expect(readWord("certificateLevel", "中级")).toBe("intermediate");
    expect(readWord("certificateLevel", "中级社工师")).toBe("intermediate");
    expect(readWord("certificateLevel", "初级社工")).toBe("junior");
    expect(readWord("certificateLevel", "高级")).toBe("senior");
    expect(readWord("certificateLevel", " Senior ")).toBe("senior");
    expect(readWord("serviceType", "心理咨询")).toBe("counselling");
    expect(readWord("serviceType", "ｆｉｒｓｔ ａｉｄ")).toBe("first_aid");
    expect(readWord("certificateLevel", "硕士")).toBeUndefined();
  });

  it("still reads every code and official label", () => {
    for (const [code, label] of Object.entries(certificateLevelLabels)) {
      expect(readWord("certificateLevel", code)).toBe(code);
      expect(readWord("certificateLevel", label.zh)).toBe(code);
      expect(readWord("certificateLevel", label.en)).toBe(code);
    }
    for (const [code, label] of Object.entries(serviceTypeLabels)) {
      expect(readWord("serviceType", label.zh)).toBe(code);
    }
  });

  it("never gives one word two meanings", () => {
    for (const name of Object.keys(everydayWords) as VocabularyName[]) {
      const seen = new Map<string, string>();
      const labels: Record<string, { zh: string; en: string }> =
        name === "certificateLevel" ? certificateLevelLabels : serviceTypeLabels;
      for (const [code, words] of Object.entries(everydayWords[name])) {
        const label = labels[code] ?? { zh: code, en: code };
        for (const word of [code, label.zh, label.en, ...words]) {
          const key = normaliseWord(word);
          expect(seen.get(key) ?? code, `${name}: ${word}`).toBe(code);
          seen.set(key, code);
        }
      }
    }
  });

  it("lists the accepted values in each language", () => {
    expect(acceptedValues("certificateLevel", "zh")).toEqual([
      "助理社会工作师（初级）",
      "社会工作师（中级）",
      "高级社会工作师（高级）",
    ]);
    expect(acceptedValues("serviceType", "en")[0]).toBe("lecture (Policy lectures)");
  });
});
