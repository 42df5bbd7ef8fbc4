/** The cache-key parts of a stage request (its shard inputs, if a merge step, are not part of the key). */
import type { CacheKeyParts } from '../src/store/artifact-manifest.js';
import type { StageRequest } from '../src/contracts/stage-requests.js';
import { stageKeyParts } from '../src/engine/stage-key-parts.js';

export function keyPartsOf(request: StageRequest): CacheKeyParts {
  const inputKeys = Object.fromEntries(
    Object.entries(request.inputs)
      .filter(([role]) => !role.startsWith('shard-'))
      .map(([role, ref]) => [role, ref.key]),
  );
  return stageKeyParts({ uses: request.uses, params: request.params, inputKeys, seed: request.seed, shard: request.shard });
}
