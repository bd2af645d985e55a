export {
  createDryRunHost,
  type CommandResult,
  type DryRunPlan,
  type DryRunStep,
  type RegistryValue,
  type RegistryValueType,
  type WindowsHost,
} from './src/windows-host.js';
export { parseOsppStatus, type OfficeLicense } from './src/ospp-status.js';
export { parseRegQuery } from './src/reg-query.js';
