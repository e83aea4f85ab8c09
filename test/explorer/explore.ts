/**
 * The exhaustive explorer: a depth-first search over every interleaving of the runs' steps and the
 * environment's events (`model.ts`) within a bound, skipping states already explored at the same
 * or a smaller depth (so the first trace kept for each violation is a shortest one). Checks the
 * invariants at every transition and at every end, and reports the figures.
 */
import { createHash } from 'node:crypto';
import { finalViolations, initialWorld, quiescent, transitions, type Bound, type World } from './model';

/** One invariant broken, with a shortest sequence of transitions that breaks it. */
export interface Violation {
  what: string;
  trace: string[];
}

/** What an exploration covered. */
export interface Figures {
  bound: Bound;
  /** Transitions taken (states reached, repeats included). */
  statesExplored: number;
  /** Distinct states (by hash). */
  distinctStates: number;
  /** Sequences that ended with every run closed and no failover running. */
  ends: number;
  /** The longest sequence of transitions. */
  maxDepth: number;
  /** Every end a run reached in some sequence (its outcome), with how many ends showed it. */
  outcomes: Record<string, number>;
  ms: number;
  violations: Violation[];
}

/** The invariant broken, with the run ids and workflow ids made generic, so one counterexample stands for its kind. */
const kindOf = (what: string) =>
  what
    .replace(/wf\d+-run\d+/g, 'RUN')
    .replace(/wf\d+/g, 'WF')
    .replace(/node-[ab]/g, 'NODE');

function hashOf(world: World): string {
  return createHash('sha1').update(JSON.stringify(world)).digest('base64');
}

/** Explores every sequence within `bound`. */
export function explore(bound: Bound): Figures {
  const started = performance.now();
  const seen = new Map<string, number>();
  const found = new Map<string, Violation>();
  const trace: string[] = [];
  const figures = { statesExplored: 0, ends: 0, maxDepth: 0, outcomes: {} as Record<string, number> };

  const report = (what: string) => {
    const kind = kindOf(what);
    const known = found.get(kind);
    if (!known || known.trace.length > trace.length) found.set(kind, { what, trace: [...trace] });
  };

  const visit = (world: World, depth: number): void => {
    const key = hashOf(world);
    const before = seen.get(key);
    if (before !== undefined && before <= depth) return;
    seen.set(key, depth);
    figures.maxDepth = Math.max(figures.maxDepth, depth);
    if (quiescent(world)) {
      figures.ends += 1;
      for (const run of world.runs) {
        const outcome = run.closedBy === 'end' ? run.end!.outcome : `closed by ${run.closedBy}`;
        figures.outcomes[outcome] = (figures.outcomes[outcome] ?? 0) + 1;
      }
      const final = finalViolations(world);
      final.forEach(report);
      if (final.length > 0) return;
    }
    for (const transition of transitions(world, bound)) {
      if (world.events + transition.cost > bound.events) continue;
      const next = structuredClone(world);
      next.events += transition.cost;
      trace.push(transition.label);
      figures.statesExplored += 1;
      const broken = transition.apply(next);
      if (broken.length > 0) broken.forEach(report);
      else visit(next, depth + 1);
      trace.pop();
    }
  };

  visit(initialWorld(), 0);
  return {
    bound,
    ...figures,
    distinctStates: seen.size,
    ms: Math.round(performance.now() - started),
    violations: [...found.values()].sort((a, b) => a.trace.length - b.trace.length),
  };
}

/** The figures and every violation with its trace, as printed by the test and `npm run explore`. */
export function describeFigures(figures: Figures): string {
  const { bound } = figures;
  const lines = [
    `explorer bound: at most ${bound.events} environment events, ${bound.workflowIds} workflow ids, ${bound.runSteps} steps per run`,
    `states explored ${figures.statesExplored}, distinct states ${figures.distinctStates}, ends ${figures.ends}, ` +
      `max depth ${figures.maxDepth}, time ${(figures.ms / 1000).toFixed(1)} s`,
    `run ends seen: ${Object.entries(figures.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ')}`,
    `violations: ${figures.violations.length}`,
  ];
  for (const violation of figures.violations) {
    lines.push(`- ${violation.what}`);
    violation.trace.forEach((step, index) => lines.push(`    ${index + 1}. ${step}`));
  }
  return lines.join('\n');
}
