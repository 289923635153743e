/** The OpenAPI document's top part; paths come from the routes' own validators and descriptions. */
export const openApiDocumentation = {
  info: {
    title: "双翼 Shuangyi API",
    version: "1.0.0",
    description:
      "专业社工 + 志愿服务: matching professional social workers with volunteer teams and pilot communities. " +
      "Errors always have the shape `{ error: { code, message, issues, requestId } }`.",
  },
  components: {
    securitySchemes: { bearerAuth: { type: "http" as const, scheme: "bearer" } },
  },
  security: [{ bearerAuth: [] }],
};
