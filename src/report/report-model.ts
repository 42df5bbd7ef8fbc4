/**
 * Everything an experiment report shows, as plain data: what the store adapter (read-report.ts) reads out of the
 * committed artifacts, and all the HTML sections and chart builders take. Nothing here touches a file.
 */
import type { ResolvedPipelineConfig } from '../contracts/pipeline-config.js';
import type { StageRow } from '../contracts/stage-requests.js';
import type { ArtifactManifest } from '../store/artifact-manifest.js';
import type { ExperimentComparison } from '../evaluation/experiment-comparison.js';

/** What a report is about: the experiment as its workflow knows it (config, stage table). */
export interface ReportSubject {
  config: ResolvedPipelineConfig;
  configHash: string;
  rows: readonly StageRow[];
  /** With `pam report <experiment> --compare <other>…`: this experiment (first column) beside the others. */
  comparison?: ExperimentComparison | undefined;
}

export interface ReportStage {
  row: StageRow;
  /** The committed artifact's manifest; null while the stage has none. */
  manifest: ArtifactManifest | null;
  /** The artifact's `stage.log`, when its manifest lists one (its tail when long). */
  log: { text: string; bytes: number; shownBytes: number } | null;
}

/** Table 1: voxels per area before and after selection, of one `select-voxels`-like artifact. */
export interface VoxelCounts {
  stageId: string;
  rows: { area: string; before: number; after: number }[];
}

/** Table 2: one `results` table, rows as stored. */
export interface ResultsTable {
  stageId: string;
  referenceDecoder: string;
  rows: { decoder: string; metric: string; mean: number; se: number; n: number; p: number }[];
}

export interface LossCurves {
  stageId: string;
  /** `validationLoss` null where the decoder had no validation split. */
  points: { decoder: string; epoch: number; loss: number; validationLoss: number | null }[];
}

/** PAM's attention per test item and area, averaged over latent dimensions (the input of Fig. 5). */
export interface ItemAttention {
  stageId: string;
  areas: string[];
  /** Item-major: for each item, one mean per area in `areas` order. */
  items: { itemId: string; byArea: number[] }[];
}

/** An image inlined as a data: URI; null where the artifact has none for that cell. */
export type InlineImage = string | null;

/** Fig. 4: stimuli and each decoder's reconstructions of the first test items. */
export interface Reconstructions {
  stageId: string;
  itemIds: string[];
  rows: { label: string; images: InlineImage[] }[];
}

/** Figs. 6–7: for a few items, the stimulus beside each area's value image and attention. */
export interface AreaValueFigure {
  stageId: string;
  areas: string[];
  items: { itemId: string; why: string; stimulus: InlineImage; values: InlineImage[]; attention: number[] }[];
}

export interface ReportData {
  experiment: string;
  description: string;
  configHash: string;
  /** The data source(s): the kinds of the stages without inputs. */
  dataset: string;
  config: ResolvedPipelineConfig;
  stages: ReportStage[];
  voxelCounts: VoxelCounts[];
  results: ResultsTable[];
  lossCurves: LossCurves[];
  attention: ItemAttention[];
  reconstructions: Reconstructions[];
  areaValues: AreaValueFigure[];
  comparison: ExperimentComparison | null;
}
