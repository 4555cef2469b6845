export * from "./users";
export * from "./sessions";
export * from "./login-attempts";
