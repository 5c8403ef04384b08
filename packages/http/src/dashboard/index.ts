export type { DashboardOptions, RecordedCall } from './dashboard-options.ts';
export { DashboardRecorder, type DashboardRecorderOptions } from './dashboard-recorder.ts';
export { type DashboardAppOptions, dashboardApp } from './dashboard-routes.ts';
export { type DashboardSnapshot, dashboardSnapshot, type ProviderHealth } from './dashboard-snapshot.ts';
