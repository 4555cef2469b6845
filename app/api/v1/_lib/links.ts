export const deploymentLinks = (id: string) => ({
  self: `/api/v1/deployments/${id}`,
  events: `/api/v1/deployments/${id}/events`,
  promote: `/api/v1/deployments/${id}/promote`,
  abort: `/api/v1/deployments/${id}/abort`,
  retrySwitch: `/api/v1/deployments/${id}/retry-switch`,
  page: `/deployments/${id}`,
});
