/**
 * The report's one door to the store: every manifest, table, image and log it shows is read here, through the
 * client's StoreView (src/store/store-view.ts, as `pam lineage` and `pam status` read), by stage kind and key, and
 * every file checked against its manifest as it is read (src/store/artifact-input.ts). No path is guessed, so a
 * report works against an `fs` or `s3` store alike, from a machine that has nothing but the store. An artifact is
 * fetched only when its manifest lists something the report shows.
 */
import { openArtifactInput } from '../store/artifact-input.js';
import type { ArtifactManifest } from '../store/artifact-manifest.js';
import type { StoreView } from '../store/store-view.js';
import type { ArtifactInput } from '../stages/stage-definition.js';
import { ITEM_SCORES, RESULTS } from '../tables/evaluation.js';
import { ATTENTION, LOSS_CURVE } from '../tables/train-outputs.js';
import { VOXEL_COUNTS } from '../tables/voxel-selection.js';
import { itemAttention, itemsFavouringEachArea } from './item-attention.js';
import type {
  AreaValueFigure,
  InlineImage,
  ItemAttention,
  Reconstructions,
  ReportData,
  ReportStage,
  ReportSubject,
} from './report-model.js';

/** The file a stage's log is saved as in its artifact folder. */
export const STAGE_LOG_FILE = 'stage.log';
/** At most this much of a log is embedded (its end: where a run's outcome is told); the artifact keeps it all. */
export const LOG_SHOWN_BYTES = 256 * 1024;
/** Test items of Fig. 4 when the evaluate params do not say (`contactItems`: the paper shows ten). */
const RECONSTRUCTED_ITEMS = 10;
/** Items of Figs. 6–7 at most. */
const VALUE_FIGURE_ITEMS = 6;

const ATTENTION_ROWS = ATTENTION.select(['item_id', 'area', 'weights'], ['areas']);
const SCORED_ITEMS = ITEM_SCORES.select(['item_id']);
/** The evaluate stage's image folders: `images/<stimulus|decoder|values-<area>>/<item>.png` (docs/images.md). */
const VALUES_PREFIX = 'values-';

export async function readReportData(subject: ReportSubject & { dataset: string }, store: StoreView): Promise<ReportData> {
  const { config } = subject;
  const artifacts = new Artifacts(store);
  const data: ReportData = {
    experiment: config.experiment,
    description: config.description,
    configHash: subject.configHash,
    dataset: subject.dataset,
    config,
    stages: [],
    voxelCounts: [],
    results: [],
    lossCurves: [],
    attention: [],
    reconstructions: [],
    areaValues: [],
    comparison: subject.comparison ?? null,
  };
  const attentionByKey = new Map<string, ItemAttention>();
  for (const row of subject.rows) {
    const manifest = row.key === undefined ? null : await store.manifest(row.uses, row.key);
    const stage: ReportStage = { row, manifest, log: null };
    data.stages.push(stage);
    if (!manifest) continue;
    const open = () => artifacts.open(manifest);
    if (lists(manifest, STAGE_LOG_FILE)) stage.log = logTail((await open()).readFile(STAGE_LOG_FILE));
    if (lists(manifest, `${VOXEL_COUNTS.name}.arrow`)) {
      const { area, voxels_before, voxels_after } = VOXEL_COUNTS.read(await open()).columns;
      data.voxelCounts.push({
        stageId: row.id,
        rows: area.map((a, i) => ({ area: a, before: voxels_before[i]!, after: voxels_after[i]! })),
      });
    }
    if (lists(manifest, `${RESULTS.name}.arrow`)) {
      const table = RESULTS.read(await open());
      const c = table.columns;
      data.results.push({
        stageId: row.id,
        referenceDecoder: table.metadata.reference_decoder,
        rows: c.decoder.map((decoder, i) => ({
          decoder,
          metric: c.metric[i]!,
          mean: c.mean[i]!,
          se: c.se[i]!,
          n: c.n[i]!,
          p: c.p_vs_reference[i]!,
        })),
      });
    }
    if (lists(manifest, `${LOSS_CURVE.name}.arrow`)) {
      const c = LOSS_CURVE.read(await open()).columns;
      const points = c.decoder.map((decoder, i) => {
        const validation = c.validation_loss[i]!;
        return { decoder, epoch: c.epoch[i]!, loss: c.loss[i]!, validationLoss: Number.isNaN(validation) ? null : validation };
      });
      data.lossCurves.push({ stageId: row.id, points });
    }
    if (lists(manifest, `${ATTENTION.name}.arrow`)) {
      const table = ATTENTION_ROWS.read(await open());
      const attention = itemAttention(row.id, table.metadata.areas, table.columns);
      attentionByKey.set(manifest.key, attention);
      data.attention.push(attention);
    }
  }
  // The figures come after every stage is read: an evaluate artifact's values pair with its predictions' attention.
  for (const { row, manifest } of data.stages) {
    if (!manifest || !imageFolders(manifest).includes('stimulus')) continue;
    const input = await artifacts.open(manifest);
    const itemIds = scoredItems(input);
    data.reconstructions.push(reconstructions(row.id, manifest, input, itemIds));
    const predictions = manifest.inputs['predictions'];
    const attention = predictions && attentionByKey.get(predictions.key);
    const figure = attention && areaValueFigure(row.id, manifest, input, attention);
    if (figure) data.areaValues.push(figure);
  }
  return data;
}

/** Each artifact opened once, and only when something of it is shown. */
class Artifacts {
  private readonly opened = new Map<string, ArtifactInput>();
  constructor(private readonly store: StoreView) {}

  async open(manifest: ArtifactManifest): Promise<ArtifactInput> {
    const id = `${manifest.stage}/${manifest.key}`;
    let input = this.opened.get(id);
    if (!input) {
      input = openArtifactInput(await this.store.localDir(manifest.stage, manifest.key));
      this.opened.set(id, input);
    }
    return input;
  }
}

function lists(manifest: ArtifactManifest, file: string): boolean {
  return manifest.files.some((f) => f.path === file);
}

/** The folders under `images/`, in manifest order. */
function imageFolders(manifest: ArtifactManifest): string[] {
  const folders = manifest.files.map((f) => /^images\/([^/]+)\/[^/]+$/.exec(f.path)?.[1]).filter((f) => f !== undefined);
  return [...new Set(folders)];
}

function logTail(bytes: Uint8Array): NonNullable<ReportStage['log']> {
  let start = Math.max(0, bytes.length - LOG_SHOWN_BYTES);
  // Begin on a whole line when cut (and so on a whole UTF-8 character).
  if (start > 0) start = bytes.indexOf(0x0a, start) + 1 || start;
  return { text: new TextDecoder().decode(bytes.subarray(start)), bytes: bytes.length, shownBytes: bytes.length - start };
}

/** The scored test items in test-table order (item-scores rows follow it per decoder and metric). */
function scoredItems(input: ArtifactInput): string[] {
  const table = SCORED_ITEMS.readIfPresent(input);
  return table ? [...new Set(table.columns.item_id)] : [];
}

function image(manifest: ArtifactManifest, input: ArtifactInput, file: string): InlineImage {
  return lists(manifest, file) ? `data:image/png;base64,${Buffer.from(input.readFile(file)).toString('base64')}` : null;
}

/** Fig. 4: the first test items (as many as the stage's contact sheet shows), stimulus row first, then each decoder. */
function reconstructions(stageId: string, manifest: ArtifactManifest, input: ArtifactInput, itemIds: readonly string[]): Reconstructions {
  const params = manifest.keyParts.params as { contactItems?: unknown } | null;
  const count = typeof params?.contactItems === 'number' ? params.contactItems : RECONSTRUCTED_ITEMS;
  const shown = itemIds.slice(0, count);
  const decoders = imageFolders(manifest).filter((label) => label !== 'stimulus' && !label.startsWith(VALUES_PREFIX));
  const labels = ['stimulus', ...decoders];
  return {
    stageId,
    itemIds: shown,
    rows: labels.map((label) => ({ label, images: shown.map((id) => image(manifest, input, `images/${label}/${id}.png`)) })),
  };
}

/** Figs. 6–7: the items favouring each area, with every area's value image and attention; null without value images. */
function areaValueFigure(
  stageId: string,
  manifest: ArtifactManifest,
  input: ArtifactInput,
  attention: ItemAttention,
): AreaValueFigure | null {
  const folders = imageFolders(manifest);
  const areas = attention.areas.filter((area) => folders.includes(`${VALUES_PREFIX}${area}`));
  if (areas.length === 0) return null;
  const items = itemsFavouringEachArea(attention, VALUE_FIGURE_ITEMS).map(({ itemId, why }) => {
    const byArea = attention.items.find((i) => i.itemId === itemId)!.byArea;
    return {
      itemId,
      why,
      stimulus: image(manifest, input, `images/stimulus/${itemId}.png`),
      values: areas.map((area) => image(manifest, input, `images/${VALUES_PREFIX}${area}/${itemId}.png`)),
      attention: areas.map((area) => byArea[attention.areas.indexOf(area)]!),
    };
  });
  return { stageId, areas, items };
}
