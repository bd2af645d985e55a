import { useEffect, useState } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { BatchPanel } from './batch-panel.js';
import { HandoverPanel } from './handover-panel.js';
import { JobsPanel } from './jobs-panel.js';
import { PreflightPanel } from './preflight-panel.js';

const sections = ['jobs', 'batch', 'preflight', 'handover'] as const;
type Section = (typeof sections)[number];
const titles: Record<Section, MessageKey> = {
  jobs: 'dashboard.section.jobs',
  batch: 'dashboard.section.batch',
  preflight: 'dashboard.section.preflight',
  handover: 'dashboard.section.handover',
};

const dashboardStorageKey = 'cloudward.dashboard.v1';

function readSaved(): { section: Section; job: number | undefined } {
  try {
    const saved = JSON.parse(window.localStorage.getItem(dashboardStorageKey) ?? '{}') as { section?: unknown; job?: unknown };
    return {
      section: sections.includes(saved.section as Section) ? (saved.section as Section) : 'jobs',
      job: typeof saved.job === 'number' && Number.isInteger(saved.job) ? saved.job : undefined,
    };
  } catch {
    return { section: 'jobs', job: undefined };
  }
}

/** The technician's view: every job in the ledger, batches from Microsoft's CSV, preflight and handover. */
export function Dashboard() {
  const { t } = useI18n();
  const [section, setSection] = useState<Section>(() => readSaved().section);
  const [selectedJob, setSelectedJob] = useState<number | undefined>(() => readSaved().job);
  // A reload (or closing the app) comes back to the same section and job.
  useEffect(() => {
    try {
      window.localStorage.setItem(dashboardStorageKey, JSON.stringify({ section, job: selectedJob }));
    } catch {
      // Only a convenience.
    }
  }, [section, selectedJob]);
  return (
    <div className="dashboard">
      <nav className="subnav" aria-label={t('dashboard.navLabel')}>
        {sections.map((entry) => (
          <button key={entry} type="button" className="subnav-tab" aria-current={section === entry ? 'page' : undefined} onClick={() => setSection(entry)}>
            {t(titles[entry])}
          </button>
        ))}
      </nav>
      {section === 'jobs' ? <JobsPanel selected={selectedJob} onSelect={setSelectedJob} /> : null}
      {section === 'batch' ? (
        <BatchPanel
          onStarted={(jobId) => {
            setSelectedJob(jobId);
            setSection('jobs');
          }}
        />
      ) : null}
      {section === 'preflight' ? <PreflightPanel /> : null}
      {section === 'handover' ? <HandoverPanel /> : null}
    </div>
  );
}
