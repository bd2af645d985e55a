import { useEffect, useState } from 'react';

import type { CloudwardBridge } from '../../electron/contract/ipc.js';

type Runtime =
  | { kind: 'browser' }
  | { kind: 'checking' }
  | { kind: 'desktop'; version: string; platform: string }
  | { kind: 'error'; message: string };

const steps = [
  { title: 'Find', text: 'Outlook PST and OST files, profiles, autocomplete lists and IMAP accounts on this PC.' },
  { title: 'Check', text: 'DNS, IMAP, EWS and Graph reachability before anything moves.' },
  { title: 'Move', text: 'Mail, contacts, calendars, tasks and autocomplete into Microsoft 365 or Exchange, resumable.' },
  { title: 'Hand over', text: 'Office licensing and cached identities, with a report of every item.' },
];

function useRuntime(bridge: CloudwardBridge | undefined): Runtime {
  const [runtime, setRuntime] = useState<Runtime>(bridge === undefined ? { kind: 'browser' } : { kind: 'checking' });
  useEffect(() => {
    if (bridge === undefined) return;
    let live = true;
    bridge.invoke('app:info', {}).then(
      (result) => {
        if (!live) return;
        setRuntime(result.ok ? { kind: 'desktop', ...result.value } : { kind: 'error', message: result.error.message });
      },
      (error: unknown) => {
        if (live) setRuntime({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  return runtime;
}

function describe(runtime: Runtime): string {
  switch (runtime.kind) {
    case 'browser':
      return 'browser mode: the desktop bridge is not available, nothing on this PC can be read';
    case 'checking':
      return 'connecting to the desktop app…';
    case 'desktop':
      return `desktop app ${runtime.version} on ${runtime.platform}`;
    case 'error':
      return `the desktop app did not answer: ${runtime.message}`;
  }
}

export function App({ bridge }: { bridge: CloudwardBridge | undefined }) {
  const runtime = useRuntime(bridge);
  return (
    <main className="page">
      <header>
        <h1>Cloudward</h1>
        <p className="lead">
          Moves POP-era Outlook data (PST and OST files) and IMAP mailboxes into Microsoft 365 or Exchange, over
          EWS or Microsoft Graph.
        </p>
      </header>
      <ol className="steps">
        {steps.map((step) => (
          <li key={step.title}>
            <h2>{step.title}</h2>
            <p>{step.text}</p>
          </li>
        ))}
      </ol>
      <p className={`runtime runtime-${runtime.kind}`} data-testid="runtime" role="status">
        {describe(runtime)}
      </p>
    </main>
  );
}
