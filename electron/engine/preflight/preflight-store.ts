import { type PreflightArea, preflightAreas, type PreflightFinding, type PreflightPhase, type PreflightRun, type PreflightSummary, type PreflightVerdict } from '../../contract/index.js';
import type { Ledger } from '../ledger/ledger.js';

interface RunRow {
  id: number;
  domain: string;
  phase: string | null;
  started_at: number;
  finished_at: number | null;
}
interface FindingRow {
  check_id: string;
  verdict: PreflightVerdict;
  title: string;
  evidence: string;
  fix: string | null;
}

/** The area is the check id's first part (`dns.mx.ttl` → dns), so the table needs no column for it. */
export function areaOf(checkId: string): PreflightArea {
  const head = checkId.split('.')[0] as PreflightArea;
  return preflightAreas.includes(head) ? head : 'target';
}

export function summarize(findings: readonly Pick<PreflightFinding, 'verdict'>[]): PreflightSummary {
  const summary: PreflightSummary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const finding of findings) summary[finding.verdict] += 1;
  return summary;
}

/**
 * Preflight runs and findings in the ledger (tables of migration 2), per domain, so a run before the
 * cutover can be set beside the run after it. Domains are kept in lower case without a final dot.
 */
export class PreflightStore {
  constructor(private readonly ledger: Ledger) {}

  startRun(domain: string, phase: PreflightPhase, options: Record<string, unknown>): { runId: number; startedAt: number } {
    const startedAt = Date.now();
    const row = this.ledger.db
      .prepare<[string, string, string, number], { id: number }>('INSERT INTO preflight_runs (domain, phase, options, started_at) VALUES (?, ?, ?, ?) RETURNING id')
      .get(normalizeDomain(domain), phase, JSON.stringify(options), startedAt) as { id: number };
    return { runId: row.id, startedAt };
  }

  /** A re-run of one check in the same run replaces its finding. */
  addFinding(runId: number, finding: PreflightFinding): void {
    this.ledger.db
      .prepare('INSERT OR REPLACE INTO preflight_findings (run_id, check_id, verdict, title, evidence, fix) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, finding.checkId, finding.verdict, finding.title, JSON.stringify(finding.evidence), finding.fix ?? null);
  }

  finishRun(runId: number): void {
    this.ledger.db.prepare('UPDATE preflight_runs SET finished_at = ? WHERE id = ?').run(Date.now(), runId);
  }

  run(runId: number): PreflightRun | undefined {
    const row = this.ledger.db.prepare<[number], RunRow>('SELECT id, domain, phase, started_at, finished_at FROM preflight_runs WHERE id = ?').get(runId);
    return row ? this.toRun(row) : undefined;
  }

  history(domain: string, limit = 20): PreflightRun[] {
    return this.ledger.db
      .prepare<[string, number], RunRow>('SELECT id, domain, phase, started_at, finished_at FROM preflight_runs WHERE domain = ? ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(normalizeDomain(domain), limit)
      .map((row) => this.toRun(row));
  }

  private toRun(row: RunRow): PreflightRun {
    const findings = this.ledger.db
      .prepare<[number], FindingRow>('SELECT check_id, verdict, title, evidence, fix FROM preflight_findings WHERE run_id = ? ORDER BY id')
      .all(row.id)
      .map((finding): PreflightFinding => ({
        checkId: finding.check_id,
        area: areaOf(finding.check_id),
        verdict: finding.verdict,
        title: finding.title,
        evidence: parseEvidence(finding.evidence),
        ...(finding.fix === null ? {} : { fix: finding.fix }),
      }));
    return {
      runId: row.id,
      domain: row.domain,
      ...(row.phase === 'before' || row.phase === 'after' ? { phase: row.phase } : {}),
      startedAt: new Date(row.started_at).toISOString(),
      ...(row.finished_at === null ? {} : { finishedAt: new Date(row.finished_at).toISOString() }),
      findings,
      summary: summarize(findings),
    };
  }
}

export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

function parseEvidence(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [text];
  } catch {
    return [text];
  }
}
