/**
 * Search attributes that make experiments findable in the Temporal Web UI (List Filter), e.g.
 * `PamExperiment = "demo"` or `PamBlockedStage != ""` for every parked experiment.
 * Pure module: the workflow upserts them, the server bootstrap (src/temporal/dev-server.ts) registers them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EXPERIMENT_KEY = defineSearchAttributeKey('PamExperiment', SearchAttributeType.KEYWORD);
export const DATASET_KEY = defineSearchAttributeKey('PamDataset', SearchAttributeType.KEYWORD);
export const CONFIG_HASH_KEY = defineSearchAttributeKey('PamConfigHash', SearchAttributeType.KEYWORD);
export const BLOCKED_STAGE_KEY = defineSearchAttributeKey('PamBlockedStage', SearchAttributeType.KEYWORD);

export const PAM_SEARCH_ATTRIBUTES = [EXPERIMENT_KEY, DATASET_KEY, CONFIG_HASH_KEY, BLOCKED_STAGE_KEY] as const;
