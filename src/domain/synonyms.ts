import {
  type CertificateLevel,
  certificateLevelLabels,
  certificateLevels,
  type ServiceType,
  serviceTypeLabels,
  serviceTypes,
} from "./vocabulary";

/**
 * The one table of everyday words: what people write in a department's spreadsheet for each
 * value of a closed vocabulary, besides its code and its Chinese and English labels. Imports read
 * cells through it; templates and error messages list the official labels from it.
 */
export const everydayWords = {
  certificateLevel: {
    junior: [
      "初级",
      "初级社工",
      "初级社工师",
      "初级社会工作师",
      "初级社会工作者",
      "助理社工",
      "助理社工师",
      "助理社会工作者",
      "assistant",
    ],
    intermediate: ["中级", "中级社工", "中级社工师", "中级社会工作师", "中级社会工作者", "社工师"],
    senior: ["高级", "高级社工", "高级社工师", "高级社会工作者"],
  } satisfies Record<CertificateLevel, readonly string[]>,
  serviceType: {
    lecture: ["宣讲", "理论宣传", "政策宣讲", "政策宣传"],
    neighbourhood_watch: ["邻里互助", "守望相助", "邻里守望相助"],
    mediation: ["矛盾化解", "矛盾调解", "纠纷调解", "矛盾纠纷调解", "调解", "人民调解", "信访"],
    first_aid: ["急救", "救护", "医疗救护", "应急救护", "卫生"],
    counselling: ["心理咨询", "心理辅导", "心理健康", "心理服务", "心理"],
    legal_aid: ["法律咨询", "法律服务", "普法", "法律"],
    elderly_care: ["养老", "养老服务", "为老服务", "助老", "敬老", "老年人服务"],
    child_care: ["儿童服务", "关爱儿童", "未成年人关爱", "青少年服务", "儿童"],
    emergency: ["应急", "救援", "防灾减灾", "应急服务"],
    recreation: ["文体", "文化活动", "文艺活动", "体育活动", "文娱活动"],
  } satisfies Record<ServiceType, readonly string[]>,
} as const;

export type VocabularyName = keyof typeof everydayWords;

interface Vocabulary<T extends string> {
  codes: readonly T[];
  labels: Record<T, { zh: string; en: string }>;
  words: Record<T, readonly string[]>;
}

const vocabularies: { [K in VocabularyName]: Vocabulary<ValueOf<K>> } = {
  certificateLevel: {
    codes: certificateLevels,
    labels: certificateLevelLabels,
    words: everydayWords.certificateLevel,
  },
  serviceType: {
    codes: serviceTypes,
    labels: serviceTypeLabels,
    words: everydayWords.serviceType,
  },
};

/** The code type of a vocabulary: `certificateLevel` → CertificateLevel. */
export type ValueOf<K extends VocabularyName> = K extends VocabularyName
  ? keyof (typeof everydayWords)[K] & string
  : never;

/**
 * How a cell is compared: full-width forms folded (NFKC), case and every space ignored, so
 * `中级 社工`, `ＪＵＮＩＯＲ` and `Junior` read as what they mean.
 */
export function normaliseWord(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

const lookups = new Map<VocabularyName, Map<string, string>>();

function lookupOf(name: VocabularyName): Map<string, string> {
  const cached = lookups.get(name);
  if (cached) return cached;
  const vocabulary = vocabularies[name] as Vocabulary<string>;
  const lookup = new Map<string, string>();
  for (const code of vocabulary.codes) {
    const label = vocabulary.labels[code];
    for (const word of [code, label?.zh ?? "", label?.en ?? "", ...(vocabulary.words[code] ?? [])])
      lookup.set(normaliseWord(word), code);
  }
  lookups.set(name, lookup);
  return lookup;
}

/** The code a cell means (code, label or everyday word), or undefined when it means none. */
export function readWord<K extends VocabularyName>(name: K, cell: string): ValueOf<K> | undefined {
  return lookupOf(name).get(normaliseWord(cell)) as ValueOf<K> | undefined;
}

/** The codes of a vocabulary, in their order. */
export function codesOf<K extends VocabularyName>(name: K): readonly ValueOf<K>[] {
  return vocabularies[name].codes as readonly ValueOf<K>[];
}

/** A code's official label in a language. */
export function labelOf<K extends VocabularyName>(name: K, code: ValueOf<K>, lang: "zh" | "en") {
  return (vocabularies[name] as Vocabulary<string>).labels[code]?.[lang] ?? code;
}

/**
 * What a person may write, for a "not a known value" message: in Chinese the official labels with
 * the shortest everyday word (`社会工作师（中级）`); in English the code with its label.
 */
export function acceptedValues(name: VocabularyName, lang: "zh" | "en"): string[] {
  const vocabulary = vocabularies[name] as Vocabulary<string>;
  return vocabulary.codes.map((code) => {
    const label = vocabulary.labels[code] ?? { zh: code, en: code };
    if (lang === "en") return `${code} (${label.en})`;
    const short = name === "certificateLevel" ? vocabulary.words[code]?.[0] : undefined;
    return short ? `${label.zh}（${short}）` : label.zh;
  });
}
