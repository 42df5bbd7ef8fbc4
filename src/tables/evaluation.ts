/** The tables of stage `evaluate`: the scores of every decoder, summarized the way the paper reports them. */
import { float64, int32, text, utf8 } from './column-types.js';
import { defineTable } from './define-table.js';

/** `results` (the shape of the paper's Table 2): mean ± SE over test items per decoder × metric. */
export const RESULTS = defineTable({
  name: 'results',
  columns: { decoder: utf8(), metric: utf8(), mean: float64(), se: float64(), n: int32(), p_vs_reference: float64() },
  metadata: { reference_decoder: text() },
});

/** `item-scores`: one row per decoder × metric × test item. */
export const ITEM_SCORES = defineTable({
  name: 'item-scores',
  columns: { decoder: utf8(), metric: utf8(), item_id: utf8(), value: float64() },
});

/** `attention-by-area` (the paper's Fig. 5): PAM's mean attention per area, SE over test items. */
export const ATTENTION_BY_AREA = defineTable({
  name: 'attention-by-area',
  columns: { area: utf8(), mean_attention: float64(), se: float64(), items: int32() },
});
