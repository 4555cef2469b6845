/** Sizes a release's attachments may have, shared by the server and the console's form (no server imports here). */
export const MAX_TEST_REPORT_BYTES = 2 * 1024 * 1024;
export const MAX_NOTES_CHARS = 64 * 1024;
