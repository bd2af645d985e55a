import { useEffect, useState } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { loadWizardState, saveWizardState, wizardSteps, type WizardState, type WizardStep } from '../state/wizard-state.js';
import { StepDone } from './step-done.js';
import { StepPreflight } from './step-preflight.js';
import { StepPreview } from './step-preview.js';
import { StepProgress } from './step-progress.js';
import { StepSources } from './step-sources.js';
import { StepTarget } from './step-target.js';
import { StepWelcome } from './step-welcome.js';

export interface StepProps {
  state: WizardState;
  update: (change: (state: WizardState) => WizardState) => void;
  go: (step: WizardStep) => void;
}

const stepTitles: Record<WizardStep, MessageKey> = {
  welcome: 'wizard.step.welcome',
  target: 'wizard.step.target',
  sources: 'wizard.step.sources',
  preflight: 'wizard.step.preflight',
  preview: 'wizard.step.preview',
  progress: 'wizard.step.progress',
  done: 'wizard.step.done',
};

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The end user's path, one plain step at a time; the answers survive closing the app. */
export function Wizard() {
  const { t } = useI18n();
  const [state, setState] = useState<WizardState>(() => loadWizardState(storage()));
  useEffect(() => saveWizardState(storage(), state), [state]);
  const update = (change: (state: WizardState) => WizardState) => setState(change);
  const go = (step: WizardStep) => {
    setState((current) => ({ ...current, step }));
    // Move focus to the new step's heading so keyboard and screen-reader users start at its top.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#wizard-step-heading')?.focus());
  };
  const props: StepProps = { state, update, go };
  const current = wizardSteps.indexOf(state.step);

  return (
    <div className="wizard">
      <ol className="stepper" aria-label={t('wizard.stepsLabel')}>
        {wizardSteps.map((step, index) => (
          <li key={step} className={index < current ? 'step-done' : index === current ? 'step-current' : undefined} aria-current={index === current ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {index + 1}
            </span>
            <span>{t(stepTitles[step])}</span>
          </li>
        ))}
      </ol>
      <section className="card wizard-card" aria-labelledby="wizard-step-heading">
        {state.step === 'welcome' ? <StepWelcome {...props} /> : null}
        {state.step === 'target' ? <StepTarget {...props} /> : null}
        {state.step === 'sources' ? <StepSources {...props} /> : null}
        {state.step === 'preflight' ? <StepPreflight {...props} /> : null}
        {state.step === 'preview' ? <StepPreview {...props} /> : null}
        {state.step === 'progress' ? <StepProgress {...props} /> : null}
        {state.step === 'done' ? <StepDone {...props} /> : null}
      </section>
    </div>
  );
}

export function StepHeading({ children }: { children: string }) {
  return (
    <h1 id="wizard-step-heading" tabIndex={-1}>
      {children}
    </h1>
  );
}
