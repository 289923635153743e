export * from "./accounts";
export * from "./directory";
export * from "./enums";
export * from "./notifications";
export * from "./outcomes";
export * from "./regions";
export * from "./scheduling";
export * from "./signups";
