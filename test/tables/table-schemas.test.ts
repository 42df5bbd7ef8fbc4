/** The declared layouts themselves: what a reader of a dataset or stimuli table refuses, named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable } from '../../src/tables/arrow-tables.js';
import { DATASET_SPLIT, TRIALS } from '../../src/tables/dataset.js';
import { STIMULI, stimuliFromTable } from '../../src/tables/stimuli.js';

const areas = [{ name: 'V1', units: 2 }];
const v1 = { kind: 'float32-vector' as const, width: 2, values: Float32Array.from([1, 2, 3, 4]) };

test('dataset split: the area columns must be the ones metadata "areas" lists, with its widths', () => {
  const table = buildTable({ item_id: { kind: 'utf8', values: ['a', 'b'] }, 'area:V1': v1 }, { areas: JSON.stringify(areas) });
  const train = DATASET_SPLIT.named('train').fromTable(table, '/d/train.arrow');
  assert.deepEqual([...train.columns.areas.keys()], ['V1']);
  assert.equal(train.columns.latent, null);
  const wider = JSON.stringify([{ name: 'V1', units: 3 }]);
  assert.throws(
    () =>
      DATASET_SPLIT.named('train').fromTable(
        buildTable({ item_id: { kind: 'utf8', values: ['a', 'b'] }, 'area:V1': v1 }, { areas: wider }),
        '/d/train.arrow',
      ),
    /^DataValidationError: \/d\/train\.arrow: table "train", column "area:V1": has width 2; metadata "areas" implies 3$/,
  );
  assert.throws(
    () => TRIALS.named('sub-01').fromTable(table, '/d/trials-sub-01.arrow'),
    /^DataValidationError: \/d\/trials-sub-01\.arrow: table "trials-sub-01", metadata "subject": missing \(has: areas\)$/,
  );
});

test('stimuli: pixels must be height × width × 3 wide, and pixel values in [-1, 1]', () => {
  const pixels = (values: number[]) => ({ kind: 'float32-vector' as const, width: 12, values: Float32Array.from(values) });
  const columns = (values: number[]) => ({
    image_id: { kind: 'utf8' as const, values: ['x'] },
    split: { kind: 'utf8' as const, values: ['train'] },
    pixels: pixels(values),
  });
  const ok = Array.from({ length: 12 }, () => 0.5);
  assert.equal(stimuliFromTable(buildTable(columns(ok), { height: '2', width: '2', source: 's' }), 's.arrow').height, 2);
  assert.throws(
    () => STIMULI.fromTable(buildTable(columns(ok), { height: '2', width: '3' }), 's.arrow'),
    /s\.arrow: table "stimuli", column "pixels": has width 12; metadata "height", "width" implies 18$/,
  );
  assert.throws(
    () => stimuliFromTable(buildTable(columns([...ok.slice(1), 3]), { height: '2', width: '2' }), 's.arrow'),
    /s\.arrow: row 0 \("x"\) has pixel value 3 outside \[-1, 1\]/,
  );
});
