export const SERVICE_HISTORY = 25;
