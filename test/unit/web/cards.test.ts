import { describe, expect, it } from "vitest";
import { cardDetails } from "../../../src/web/public/cards";

describe("what a card says under the title", () => {
  it("leaves out what the title already says", () => {
    const event = {
      title: "多福社区 心理疏导",
      serviceType: "counselling",
      communityName: "多福社区",
    };
    expect(cardDetails(event as never, "zh")).toEqual([]);
  });

  it("names the service and the community when the title does not", () => {
    const event = { title: "重阳敬老", serviceType: "elderly_care", communityName: "北苑社区" };
    expect(cardDetails(event as never, "zh")).toEqual(["养老照护", "北苑社区"]);
  });
});
