// Where the e2e run's web server output lands: playwright.config.ts runs `npm start` through
// e2e/support/tee-server.ts into this file, and e2e/logs.check.ts reads it after the browser specs.
export const SERVER_LOG = ".data/e2e/server.log";
