/**
 * The custom search attributes a failover run keeps up to date, so operators can find runs with
 * visibility queries such as `VchaTarget = "lab-01" AND VchaOutcome = "SUCCEEDED"`. They must be
 * registered on the namespace (the dev servers here do it; docs/observability.md gives the commands).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The target's name. */
export const VCHA_TARGET = defineSearchAttributeKey('VchaTarget', SearchAttributeType.KEYWORD);
/** Planned (true) or forced (false). */
export const VCHA_PLANNED = defineSearchAttributeKey('VchaPlanned', SearchAttributeType.BOOL);
/** The run's phase, updated at the phases an operator filters on. */
export const VCHA_PHASE = defineSearchAttributeKey('VchaPhase', SearchAttributeType.KEYWORD);
/** The outcome or failure type, once the run has one. */
export const VCHA_OUTCOME = defineSearchAttributeKey('VchaOutcome', SearchAttributeType.KEYWORD);

/** Name and type of every attribute, for `temporal operator search-attribute create` and dev servers. */
export const SEARCH_ATTRIBUTE_DEFINITIONS = [VCHA_TARGET, VCHA_PLANNED, VCHA_PHASE, VCHA_OUTCOME].map((key) => ({
  name: key.name,
  type: key.type,
}));
