export type {
  CommandResult,
  CredentialEntry,
  FileEntry,
  HostEnvironment,
  ProcessEntry,
  RegistryKeyDump,
  RegistryValue,
  RegistryValueType,
  WindowsHost,
} from './src/windows-host.js';
export { parseOsppStatus, type OfficeLicense } from './src/ospp-status.js';
export { parseRegQuery, parseRegQueryTree } from './src/reg-query.js';
export { decodeRegFile, formatRegFile, parseRegFile } from './src/reg-file.js';
export { keyId, longKey, normalizeKey } from './src/registry-path.js';
export { parseCmdkeyList } from './src/cmdkey-list.js';
export { decodeLicenseFile, parseVnextDiagList, type DecodedLicense, type VnextDiagList } from './src/vnext-license.js';
export { createSimulatedHost, type SimulatedWindowsHost, type SimulatedWindowsState } from './src/simulated-host.js';
export { assertAllowed, canonicalPath, type HandoverScope } from './src/handover/locations.js';
export { resolveScope, takeInventory } from './src/handover/inventory.js';
export { buildPlan } from './src/handover/plan.js';
export { runHandover, type RunOptions } from './src/handover/run.js';
export { newRunId } from './src/handover/run.js';
export { describeStep, inventoryText, planText, runHtml, runText } from './src/handover/report.js';
export { createHandoverHandlers, type HandoverDeps, type HandoverHandlers } from './src/handover/handlers.js';
export { loadCapture, openCapture, writeCapture, type CaptureManifest } from './src/capture.js';
export { createProcessRunner, type CommandRunner } from './src/command-runner.js';
export { createLiveHost, createLocalHost } from './src/live-host.js';
